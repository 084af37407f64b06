/** Time is a parameter everywhere: services take a clock, the domain takes instants. */
export interface Clock {
  now(): Date;
}
