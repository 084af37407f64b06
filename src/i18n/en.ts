import type { ErrorParams, UsageKey } from "../domain/errors.js";
import type { RoleName } from "../domain/roles.js";
import { channel, esc, user } from "./format.js";
import { THRESHOLD_WORDS } from "./words.js";
import type { Messages } from "./zh-CN.js";

const roleNames: Record<RoleName, string> = {
  supervisor: "supervisor",
  leader: "leader",
  admin: "admin",
};

const usage: Record<UsageKey, string> = {
  deptAdd: "`/ducha dept add NAME #channel [@member …] [aliases:A,B]`",
  deptRemove: "`/ducha dept remove NAME`",
  deptMembers: "`/ducha dept members NAME @member …` (sets the member list; NAME alone shows it)",
  roleAdd: "`/ducha role add @user supervisor|leader|admin`",
  roleRemove: "`/ducha role remove @user supervisor|leader|admin`",
  settings:
    "`/ducha settings`, `/ducha settings leadership #channel`, `/ducha settings supervision #channel`",
  settingsChannel: "`/ducha settings leadership #channel` or `/ducha settings supervision #channel`",
  show: "`/ducha show 12` or `/ducha show 2026-12`",
  list: "`/ducha list [mine|red|yellow|overdue|coordination|dept NAME|all|assigned|recheck|closures]`",
  check: "`/ducha check 12` (record an on-site or unannounced check; supervisors)",
  settingsSchedule:
    "`/ducha settings schedule daily|urgent|weekly|monthly|housekeeping|info 0 9 * * *` (cron: minute hour day month weekday)",
  settingsThreshold:
    "`/ducha settings threshold NAME VALUE`, e.g. `/ducha settings threshold dueSoonWorkdays 3`",
  settingsTimezone: "`/ducha settings timezone Asia/Shanghai`",
  settingsCatchUp: "`/ducha settings catchup 24` (hours, 0 to 168)",
  settingsOffice:
    "`/ducha settings office City Supervision Office` (the bulletin's issuing office, up to 40 characters)",
  settingsDistribution:
    "`/ducha settings distribution report|send|issue TEXT` (the bulletin's 报/送/发 lines; without text, clears it)",
  settingsBulletinScope:
    "`/ducha settings bulletin-scope leaders|units|channel #channel` (where summaries and bulletins go besides the leadership channel)",
  siteCheck: "An on-site check needs who checked, the date (YYYY-MM-DD) and the place.",
  info: "`/ducha report` (the form) or `/ducha report missed UNIT EVENT` (supervisors record a missed report)",
  infoMiss: "`/ducha report missed UNIT EVENT`",
  archive: "`/ducha archive 2026` (or `npm run archive -- 2026 DIR` on the server)",
  search:
    "`/ducha search 供暖 [dept NAME] [source meeting|instruction|document|petition|proposal|inspection] [leader @someone] [2025|year|last-month] [open|closed|cancelled]`: a word of at least two characters",
  settingsInfo:
    "`/ducha settings info-channel #channel`, `/ducha settings info limit incident|important|opinion|warning urgent|normal 4` (hours from the event)",
  reinstruct: "A further instruction needs its text; a new due date is a YYYY-MM-DD date.",
  settingsLoops:
    "`/ducha settings rectify-days 5` (working days), `/ducha settings recheck reply-days 5` (working days), `/ducha settings recheck instruction|meeting|document|other|TAG 90` (days after verification; 0 clears), `/ducha settings site-check 民生 热点` (tags whose tasks need an on-site check before verification)",
  settingsHoliday: "`/ducha settings calendar 2027-02-06 off|work|clear`",
  settingsSummary:
    "`/ducha settings summary ends 3`, `/ducha settings summary sample 2` or `/ducha settings summary hot 民生,安全生产`",
  settingsDelivery:
    "`/ducha settings delivery` (messages that could not be delivered), `/ducha settings delivery resend ID…|all`",
  summary: "`/ducha summary [week|month|year|last-week|last-month|last-year]`",
  export: "`/ducha export [week|month|year|last-week|last-month] [open|red|yellow|stalled] [dept NAME]`",
  score: "`/ducha score DEPARTMENT|own [week|month|year|last-week|last-month]`",
};

const enActionNames: Record<import("../domain/lifecycle.js").TaskAction, string> = {
  ack: "acknowledge",
  report: "report progress",
  claim: "claim completion",
  extend: "ask for an extension",
  urge: "urge",
  verify: "verify",
  return: "return",
  approve_extension: "approve the extension",
  reject_extension: "reject the extension",
  cancel: "cancel",
  reopen: "reopen",
  star: "star a report",
  coordinate: "ask departments to coordinate",
  site_check: "record an on-site check",
};

const list = (items: readonly string[]) => items.join(", ");

export const en: Messages = {
  listSeparator: ", ",
  usage: (key: UsageKey) => usage[key],
  notSet: "not set",
  none: "none",

  actionName: enActionNames,
  lightName: {
    red: "red",
    yellow: "yellow",
    green: "green",
    on_time: "done on time",
    late: "done late",
    cancelled: "cancelled",
  },
  reasonName: {
    overdue: "overdue",
    stalled: "stalled",
    blocker_long: "blocked for long",
    far_behind: "far behind schedule",
    due_soon: "due soon",
    ack_late: "not acknowledged",
    report_owed: "report owed",
    blocker_open: "blocked",
    behind: "behind schedule",
  },
  stateName: {
    dispatched: "awaiting acknowledgement",
    in_progress: "in progress",
    pending_review: "completion claimed",
    closed: "closed",
    cancelled: "cancelled",
  },
  sourceName: {
    meeting: "Meeting",
    instruction: "Instruction",
    document: "Document",
    petition: "Petition",
    proposal: "Deputies' proposal",
    inspection: "Higher-level inspection",
    other: "Other",
  },
  confidentialityName: { public: "Public", internal: "Internal", secret: "Restricted" },
  causeName: {
    funding: "funding",
    policy: "policy",
    coordination: "coordination",
    staffing: "staffing",
    other: "other",
  },
  cadence: (c) =>
    c.kind === "none"
      ? "no regular reports"
      : c.kind === "weekly"
        ? "weekly reports"
        : c.kind === "fortnightly"
          ? "fortnightly reports"
          : c.kind === "monthly"
            ? "monthly reports"
            : `a report every ${c.hours} h`,
  workdaysLeft: (n) => (n <= 0 ? "due today" : `${n} working day${n === 1 ? "" : "s"} left`),
  hoursLeft: (n) => (n <= 0 ? "due now" : `${n} h left`),
  overdueBy: (days) => (days <= 0 ? "due" : `${days} day${days === 1 ? "" : "s"} overdue`),

  card: {
    lead: "Lead",
    co: "Co-operating",
    due: "Due",
    cadence: "Reports",
    state: "State",
    light: "Light",
    requirement: "Requirement",
    latest: "Latest progress",
    noReport: "No report yet",
    secret: ":lock: Confidential: the details went to the department's members by DM.",
    secretTitle: "Confidential task",
    source: (p) => `Source: ${p.source}${p.ref ? ` ${esc(p.ref)}` : ""}`,
    sourceFile: (p) => (p.url ? `original <${p.url}|${esc(p.name)}>` : `original ${esc(p.name)}`),
    leader: (p) => `leader ${user(p.userId)}`,
    dispatched: (p) => `dispatched ${p.date}`,
    extensions: (p) => `extended ${p.count}×`,
    urgent: ":rotating_light: urgent",
    blocker: (p) => `:construction: Blocked (${p.cause}, since ${p.since})${p.text ? `: ${p.text}` : ""}`,
    pendingExtension: (p) =>
      `:hourglass_flowing_sand: ${user(p.userId)} asks to extend to ${p.date}${p.late ? " (asked after the due date)" : ""}: ${esc(p.reason)}`,
    report: (p) => `${user(p.userId)} ${p.date}: ${esc(p.text)}`,
    standing: (p) => `${p.progress === null ? "" : `*${p.progress}% done* · `}last reported ${p.date}`,
    files: (p) => `:paperclip: ${p.links.join(", ")}`,
    threadHint: "Reply in this message's thread to report progress, e.g. “60%, tender done”.",
    stalledFlag: ":warning: flagged as stalled",
    coordinating: (p) =>
      `:handshake: Coordinating with ${list(
        p.items.map(
          (i) =>
            `${esc(i.name)} (${i.answered ? "answered" : i.workdays === 0 ? "asked today, awaiting an answer" : `asked ${i.workdays} working day${i.workdays === 1 ? "" : "s"} ago, awaiting an answer`})`,
        ),
      )}`,
    buttons: {
      ack: "Acknowledge",
      report: "Report progress",
      claim: "Claim done",
      extend: "Ask for extension",
      urge: "Urge",
      verify: "Verify & close",
      return: "Return",
      approveExtension: "Approve extension",
      rejectExtension: "Reject extension",
      cancel: "Cancel",
      reopen: "Reopen",
      coordinate: "Coordinate",
    },
    fallback: (p) => `${p.number} ${p.title} — lead: ${p.lead}, due ${p.due}, ${p.light}`,
  },

  taskNotice: {
    spreadButton: "Spread to every unit",
    experience: (p) =>
      `:star: *Experience worth spreading*: ${esc(p.department)} on ${p.task} “${p.title}” — ${p.text} (${user(p.author)})\nEvery unit is asked to learn from it.`,
    spreadDone: (p) => `Posted to ${p.count} units' channels.`,
    acked: (p) => `:white_check_mark: ${user(p.by)} acknowledged the task.`,
    reported: (p) =>
      `:memo: ${user(p.by)} reports: ${p.progress === null ? "" : `${p.progress}% done. `}${p.text}${p.blocker ? `\n:construction: Blocked (${p.blocker})` : ""}`,
    claimed: (p) =>
      `:inbox_tray: ${user(p.by)} claims the task is done; a supervisor will verify. Evidence: ${p.evidence}`,
    urged: (p) =>
      `:mega: Urging ${p.members.length ? list(p.members.map(user)) : "the department"}: please move this forward and report here. (${user(p.by)})`,
    verified: (p) => `:white_check_mark: ${user(p.by)} verified the work: the task is closed.`,
    returned: (p) => `:leftwards_arrow_with_hook: ${user(p.by)} returned the task: ${p.reason}`,
    extensionRequested: (p) =>
      `:hourglass_flowing_sand: ${user(p.by)} asks to extend to ${p.date}${p.late ? " (after the due date)" : ""}: ${p.reason}. A supervisor will decide.`,
    extensionApproved: (p) =>
      `:white_check_mark: ${user(p.by)} approved the extension: now due ${p.date}. ${p.note}`,
    extensionRejected: (p) => `:x: ${user(p.by)} rejected the extension. ${p.note}`,
    cancelled: (p) => `:white_circle: ${user(p.by)} cancelled the task: ${p.reason}`,
    reopened: (p) => `:arrows_counterclockwise: ${user(p.by)} reopened the task: ${p.reason}`,
    starred: (p) => `:star: ${user(p.by)} starred ${user(p.author)}'s report as an example for others.`,
    reportRequested: (p) =>
      `:spiral_calendar_pad: ${p.members.length ? list(p.members.map(user)) : "Please"}: report this period's progress here (${p.cadence}).`,
    reminded: (p) =>
      `:alarm_clock: Reminder: this task is ${p.reasons}. Please report real progress in this thread.`,
    escalationUrge: (p) =>
      `:mega: This task is ${p.reasons}. ${p.members.length ? list(p.members.map(user)) : "Department"}: please move it forward and report. Without real progress by the next working day it goes to the supervision office and the leader.`,
    coordinationAsked: (p) =>
      `:handshake: Coordination: *${esc(p.department)}*${p.members.length ? ` (${list(p.members.map(user))})` : ""} is asked to help: ${p.need}\nPlease answer in this thread by *${p.replyBy}*.`,
    offerClaim:
      "It looks as if the task is done. If so, press “Claim done” and describe what was done; a supervisor verifies it. Nothing is closed automatically.",
    secretDetail: "(confidential: details omitted)",
  },

  slow: {
    title: "ducha",
    close: "Close",
    working:
      ":hourglass_flowing_sand: Working on it… the database is busy just now. The result will show here when it is done: no need to submit again.",
    done: ":white_check_mark: Submitted. You can close this window.",
    savedTask: ":white_check_mark: Task saved; the decision window is up to date. You can close this window.",
  },

  taskModals: {
    submit: "Submit",
    cancel: "Cancel",
    report: {
      title: "Report progress",
      progress: "Progress (%)",
      text: "What was done",
      textHint:
        "Say what was done, what it achieved and what comes next; “in progress” alone counts as going through the motions.",
      blocker: "Blocker",
      blockerOption: "Blocked: needs help",
      cause: "Cause",
      coordinate: "Departments to coordinate with",
      coordinateTitle: "Ask for coordination",
      departments: "Departments to ask",
      need: "What is needed",
      needHint:
        "Say what the other department should do, and by when; it is told in its channel and answers by a set time.",
      missingDepartments: "Pick at least one department",
      missingNeed: "Say what is needed",
      coordinateHint:
        "Each is sent a coordination request with an answer time; what you write above is what is needed.",
      missingText: "Say what was done",
    },
    claim: {
      title: "Claim done",
      evidence: "What was done, with evidence",
      hint: "Say what was completed and with what result; add links to documents, photos or systems.",
      missing: "Describe what was done",
      files: "Evidence (files shared in the thread)",
      fileOption: (p) => `shared ${p.date}`,
    },
    extend: {
      title: "Ask for extension",
      date: "New due date",
      reason: "Reason",
      late: ":warning: The due date has passed: this request will be marked as late.",
      missingReason: "Give a reason",
      missingDate: "Choose the new due date",
    },
    reason: {
      returnTitle: "Return",
      cancelTitle: "Cancel task",
      rejectTitle: "Reject extension",
      reopenTitle: "Reopen",
      label: "Reason",
      missing: "Give a reason",
    },
    star: "⭐ Star",
    unstar: "Unstar",
    starred: (p) => `:star: starred by ${user(p.by)}`,
  },

  modalFailed: { title: "Could not open", close: "Close" },

  continued: {
    first: (p) => `(1 of ${p.of}, continued below)`,
    next: (p) => `(continued, ${p.part} of ${p.of})`,
    cut: (p) => `(${p.count} more parts did not fit one Slack message: use \`/ducha export\` for the ledger)`,
  },

  digest: {
    title: (p) => `:clipboard: Supervision reminder · ${esc(p.department)} (${p.date})`,
    overdue: "Overdue",
    dueSoon: "Due soon",
    ackLate: "Not acknowledged",
    reportOwed: "Report owed",
    reminded: "Reminder: please report real progress soon",
    urged: "Urged: without real progress, these go to the supervision office and the leader",
    urgentTitle: (p) => `:rotating_light: Urgent tasks · ${esc(p.department)} (${p.time})`,
    group: (p) => `*${p.name}* (${p.count})`,
    members: (p) =>
      `${p.members.length ? list(p.members.map(user)) : "Members"}: please report real progress in each task's thread.`,
    more: (p) => `…and ${p.count} more: see \`${p.command}\` or ducha's Home tab.`,
    footer: "Report in each card's thread, or use the card's buttons.",
    listDept: (p) => `/ducha list dept ${p.name}`,
    listRed: "/ducha list red",
    listCoordination: "/ducha list coordination",
    listAll: "/ducha list all",
    madeUp: (p) => ` (sent late: the reminder due ${p.slot}, missed while ducha was stopped)`,
  },

  coordination: {
    notice: (p) =>
      `:handshake: *Coordination request* ${p.url ? `<${p.url}|${p.number}>` : p.number} “${p.title}” (lead: ${esc(p.lead)}) needs your department: ${p.need}\nPlease answer by *${p.replyBy}*: reply in the task's thread${p.url ? ` (<${p.url}|open it>)` : ""}.`,
    secretNotice: (p) =>
      `:handshake: *Coordination request* ${p.number} (confidential, lead: ${esc(p.lead)}) needs your department; the details went to your members by DM. Please answer in the task's thread by *${p.replyBy}*.`,
    noChannel: (p) => `(${esc(p.department)} has no channel: the supervision office passes this on.)`,
    secretNeed: "(confidential: see the DM)",
    line: (p) =>
      `:handshake: ${p.link} ${p.title} — lead: ${esc(p.lead)}, needs: ${p.need} (answer due ${p.replyBy})`,
    openLine: (p) =>
      `:handshake: ${p.link} ${p.title} — ${esc(p.from)} → *${esc(p.to)}*, waiting ${p.workdays} working day${p.workdays === 1 ? "" : "s"}, ${p.answered ? "answered, awaiting the lead" : p.late ? `:red_circle: past its answer time (${p.replyBy})` : `answer due ${p.replyBy}`}`,
    listTitle: (p) => `Coordination requests (${p.count} open, oldest first)`,
    listEmpty: "No coordination request is open.",
    homeTitle: (p) => `*Coordination requests* (${p.count} open, oldest first)`,
    overdueGroup: "Coordination requests past their answer time: please answer in the task's thread",
    accept: "Take it on",
    resolve: "Coordination resolved",
    answer: "Answer",
    accepted: (p) =>
      `:ok_hand: Taken on for ${esc(p.department)}. Press “Answer”, or reply in the task's thread, to answer it.`,
    answered: (p) =>
      `:handshake: ${esc(p.department)} (${user(p.by)}) answers the coordination request: ${p.text}`,
    declinedThread: (p) =>
      `:no_entry_sign: ${esc(p.department)} (${user(p.by)}) cannot help: ${p.text}. The supervision office has been told.`,
    declined: (p) =>
      `:no_entry_sign: *Coordination declined* ${p.url ? `<${p.url}|${p.number}>` : p.number}: ${esc(p.from)} asked ${esc(p.to)}; ${user(p.by)} says it cannot help: ${p.reason}. Please look into it.`,
    modalTitle: "Answer the request",
    modalText: "Your answer",
    modalHint: "Say what will be done and by when; if you cannot help, say why.",
    modalDecline: "We cannot help (the reason above goes to the supervision office)",
    modalMissing: "Write the answer, or why you cannot help",
    supervisionTitle: (p) =>
      `:rotating_light: *Coordination overdue* (${p.date}): these ${p.count} requests are past their answer time and were reminded. Please step in.`,
    leaderTitle: (p) =>
      `:rotating_light: *Needs a leader's coordination* (${p.date}): ${p.count} requests on tasks you assigned are still unanswered after a reminder and the supervision office.`,
    requested: (p) =>
      `*${esc(p.name)}* to answer (members: ${p.members.length ? list(p.members.map(user)) : "none"})`,
  },

  escalation: {
    supervision: (p) =>
      `:rotating_light: *Escalation* ${p.url ? `<${p.url}|${p.number}>` : p.number} “${p.title}” (lead: ${esc(p.lead)}) is ${p.reasons}; reminded and urged, still no real progress. Members: ${p.members.length ? list(p.members.map(user)) : "none"}. Please follow up.`,
    leader: (p) =>
      `:rotating_light: Report: ${p.url ? `<${p.url}|${p.number}>` : p.number} “${p.title}”, which you assigned (lead: ${esc(p.lead)}), is ${p.reasons}; reminded and urged, still no real progress. The supervision office is following up.`,
    supervisionTitle: (p) =>
      `:rotating_light: *Escalation* (${p.date}): these ${p.count} tasks were reminded and urged and still show no real progress. Please follow up.`,
    leaderTitle: (p) =>
      `:rotating_light: Report (${p.date}): these ${p.count} tasks you assigned were reminded and urged and still show no real progress. The supervision office is following up.`,
    department: (p) => `*${esc(p.name)}* (members: ${p.members.length ? list(p.members.map(user)) : "none"})`,
  },

  notice: {
    co: (p) =>
      `:pushpin: ${p.number} “${esc(p.title)}” is led by *${esc(p.lead)}*; *${esc(p.co)}* co-operates. Due ${p.due}.` +
      (p.url ? ` <${p.url}|Open the card>` : ""),
    secretTitle: "a confidential task",
    secretDm: (p) =>
      `:lock: Confidential task ${p.number}, led by your department (${esc(p.lead)}). Details below; do not forward:`,
    cardLink: (p) => `<${p.url}|the card>`,
  },

  rollup: {
    title: (p) =>
      `*Decision dispatched*: ${p.source}${p.ref ? ` ${esc(p.ref)}` : ""} (${p.date}), ${p.count} task(s)`,
    line: (p) =>
      `${p.light} ${p.url ? `<${p.url}|${p.number}>` : p.number} ${p.title} — ${esc(p.lead)} — ${p.due} — ${p.state}`,
    totals: (p) => `red ${p.red} · yellow ${p.yellow} · green ${p.green} · closed ${p.done}`,
  },

  decisionModal: {
    title: "Dispatch tasks",
    submit: "Dispatch",
    close: "Cancel",
    source: "Source",
    sourceRef: "Document number or meeting",
    sourceRefPlaceholder: "e.g. Minutes of the executive meeting 2026/15",
    leader: "Leader",
    date: "Decision date",
    confidentiality: "Who may know",
    confidentialityHint:
      "A restricted task's title and details are seen only by its departments and the office. Classified matters must not be handled in Slack at all.",
    text: "Decision text",
    textHint: "After editing the text, press “Split again” to regenerate the tasks.",
    textTooLong: (p) =>
      `The text has ${p.length} characters, more than the box's 3,000; all of it is kept, the box shows the start.`,
    resplit: "Split again",
    tasksHeader: (p) => `Tasks (${p.count})`,
    noTasks: "No tasks yet. Write them in the text and split again, or press “Add task”.",
    addTask: "+ Add task",
    edit: "Edit",
    remove: "Remove",
    guessed: " (guessed)",
    taskLine: (p) => `*${p.index}. ${esc(p.title)}*`,
    leadLine: (p) => `Lead: ${p.lead}${p.co ? ` · with: ${p.co}` : ""}`,
    dueLine: (p) => `Due: ${p.due}${p.extras.length ? ` · ${p.extras.join(" · ")}` : ""}`,
    missing: "missing",
    unknownDepartment: (p) => `“${esc(p.name)}” in the text is not a registered department`,
    guessHint:
      "Fields marked “guessed” were read from the text: check each task; ⋯ on the right edits or removes it.",
    fromMessage: (p) => `From <${p.url}|this message>`,
    fromFile: (p) =>
      p.url ? `Read from the file <${p.url}|${esc(p.name)}>` : `Read from the file ${esc(p.name)}`,
    document: {
      readingTitle: "Reading the file",
      preparingTitle: "New decision",
      preparing: "Reading the message; its tasks will be listed in a moment…",
      unreadableTitle: "File not readable",
      close: "Close",
      reading: (p) => `Reading the text of ${esc(p.name)}; the tasks cut from it follow in a moment…`,
      unreadable: {
        unsupported: (p) =>
          `${esc(p.name)} is not a file ducha can read. It reads Word documents (.docx, .doc), PDFs with a text layer and plain text (.txt).`,
        too_large: (p) => `${esc(p.name)} is over 10 MB; ducha does not read files that large.`,
        no_text: (p) => `${esc(p.name)} holds no text ducha can read: it may be a scan or a picture.`,
        encrypted: (p) =>
          `${esc(p.name)} is protected by a password. Remove the password and upload it again.`,
        broken: (p) =>
          `${esc(p.name)} is damaged or not the format it claims; no text could be read. Save it again from Word and upload it.`,
        not_visible: (p) =>
          `ducha cannot see ${esc(p.name)}: add ducha to this channel first, or send the file to ducha in a DM and press “New decision”.`,
        download_failed: (p) => `${esc(p.name)} could not be downloaded from Slack; please try again later.`,
      },
      offer: (p) =>
        `Received ${esc(p.name)}. Press “New decision” and ducha reads its text and cuts it into tasks, which you can edit before dispatching.`,
      offerButton: "New decision",
      notForYou:
        "ducha cuts files into tasks only for supervisors, leaders and admins. Progress material belongs in the thread of the task's card.",
      pasteInstead:
        "You can also copy the decision's text and paste it after “/ducha new”. Nothing was saved.",
    },
    problemNoTasks: "There are no tasks yet: write them in the text and split again, or press “Add task”.",
    problemTask: (p) =>
      `Task ${p.index} “${esc(p.title) || "untitled"}”: ${p.problems}. Use ⋯ → Edit on that task.`,
    problemDate: "The decision date is later than some tasks' due dates.",
    done: {
      title: "Dispatched",
      text: (p) =>
        `Dispatched ${p.count} task(s); their cards are on the way to the lead departments' channels:`,
      line: (p) => `${p.number} ${esc(p.title)} — ${esc(p.lead)}`,
      duplicate: "This decision had already been dispatched; nothing was created twice.",
      close: "Done",
    },
  },

  taskModal: {
    titleNew: "Add task",
    titleEdit: "Edit task",
    submit: "Save",
    close: "Back",
    name: "Task",
    requirement: "Requirement",
    lead: "Lead department",
    co: "Co-operating departments",
    due: "Due date",
    dueTime: "Time (urgent tasks count in hours)",
    cadence: "Reports",
    cadenceHours: "Hours between reports",
    urgent: "Urgent (counted in hours)",
    urgentOption: "Urgent",
    tags: "Tags (comma separated, e.g. 民生)",
    choose: "Choose",
    guessedNote: (p) => `:mag: Guessed, please check: ${p.fields}`,
    unknownNote: (p) =>
      `:warning: ${p.names} in the text is not a registered department: choose from the list, or ask an admin to add it.`,
    cadenceOptions: {
      none: "None",
      weekly: "Weekly",
      fortnightly: "Fortnightly",
      monthly: "Monthly",
      hours: "Every N hours",
    },
    fieldName: {
      title: "task",
      lead: "lead",
      co: "co-operating",
      due: "due date",
      urgent: "urgent",
      cadence: "reports",
      tags: "tags",
    },
    problems: {
      title_missing: "Give the task a name",
      title_too_long: "At most 200 characters",
      lead_missing: "Choose the lead department",
      lead_unknown: "That department was removed: choose again",
      co_unknown: "A co-operating department was removed: choose again",
      co_same_as_lead: "The lead cannot also co-operate",
      due_missing: "Give a due date",
      due_before_decision: "The due date cannot be before the decision date",
      cadence_hours_missing: "Give the hours between reports",
    },
  },

  home: {
    title: "My tasks",
    boardTitle: "Supervision board",
    empty: "Your departments have no open tasks.",
    notMember: "You are not a member of any department yet. Admins add members with `/ducha dept members`.",
    group: (p) => `*${p.light} (${p.count})*`,
    pendingReview: "awaiting verification",
    totals: (p) =>
      `*${p.open}* open · :red_circle: red ${p.red} · :large_yellow_circle: yellow ${p.yellow} · :large_green_circle: green ${p.green} · awaiting verification ${p.review}`,
    deptLine: (p) =>
      `*${esc(p.name)}* ${p.open} open: :red_circle: ${p.red} :large_yellow_circle: ${p.yellow} :large_green_circle: ${p.green}`,
    byDepartment: "*By department*",
    redTasks: "*Red tasks*",
    reviewTasks: "*Awaiting verification*",
    more: (p) => `${p.count} more not shown: use \`${p.command}\` for the full list.`,
    updated: (p) => `Updated ${p.time}`,
  },

  history: {
    line: (p) => `${p.time} ${p.actor} ${p.what}`,
    system: "system",
    events: {
      "task.dispatched": "dispatched",
      "task.acknowledged": "acknowledged",
      "report.added": "reported progress",
      "report.perfunctory": "reported (going through the motions)",
      "report.edited": "edited a report",
      "report.retracted": "deleted a report",
      "report.starred": "starred a report",
      "report.unstarred": "unstarred a report",
      "comment.added": "commented",
      "task.claimed": "claimed completion",
      "task.verified": "verified",
      "task.returned": "returned",
      "extension.requested": "asked for an extension",
      "extension.approved": "approved the extension",
      "extension.rejected": "rejected the extension",
      "task.urged": "urged",
      "task.cancelled": "cancelled",
      "task.reopened": "reopened",
      "task.reminded": "reminded",
      "task.escalated": "escalated",
      "coordination.opened": "asked for coordination",
      "coordination.added": "added to a coordination request",
      "coordination.accepted": "took on a coordination request",
      "coordination.answered": "answered a coordination request",
      "coordination.resolved": "coordination resolved",
      "coordination.declined": "declined coordination",
      "coordination.reminded": "reminded to answer a coordination request",
      "coordination.escalated": "coordination escalated",
      "report.spread": "experience spread",
      "recheck.asked": "follow-up check asked",
      "recheck.answered": "follow-up check answered",
      "recheck.held": "follow-up check: result held",
      "recheck.relapsed": "follow-up check: problem back",
      "sitecheck.recorded": "on-site check",
      "closure.reported": "reported back to the leader",
      "closure.read": "read by the leader",
      "closure.reinstructed": "further instruction",
      "rectification.created": "rectification asked",
    },
    state: (p) => ` (${p.from} → ${p.to})`,
    due: (p) => ` (due ${p.from} → ${p.to})`,
    requestedDue: (p) => ` (to ${p.to})`,
    coordination: (p) => ` (${esc(p.department)})`,
    progress: (p) => ` (${p.value}%)`,
    reason: (p) => `: ${p.text}`,
    files: (p) => ` :paperclip: ${p.links}`,
  },

  list: {
    title: (p) => `Tasks · ${p.filter} (${p.count}${p.pages > 1 ? `, page ${p.page}/${p.pages}` : ""})`,
    empty: (p) => `No ${p.filter} tasks.`,
    filters: {
      mine: "mine",
      red: "red",
      yellow: "yellow",
      overdue: "overdue",
      stalled: "stalled",
      all: "all open",
      assigned: "assigned by me",
    },
    dept: (p) => esc(p.name),
    previous: "Previous",
    next: "Next",
    notMember: "You are not a member of any department; here are all open tasks.",
  },

  show: {
    files: (p) => `Files (${p.count})`,
    file: (p) => `:paperclip: ${p.link} · ${user(p.userId)} ${p.date}`,
    title: (p) => `Task ${p.number}`,
    history: "History",
    noHistory: "No history yet",
  },

  outbox: {
    deadList: (p) =>
      p.items.length === 0
        ? `No message failed to be delivered.${p.waiting ? ` ${p.waiting} are queued for delivery.` : ""}`
        : `*Messages that could not be delivered* (latest ${p.items.length})\n${p.items
            .map(
              (i) => `• #${i.id} ${i.what} → ${i.target} · \`${i.error.replace(/[`<>&]/g, "")}\` · ${i.at}`,
            )
            .join(
              "\n",
            )}\nOnce the cause is mended, type \`/ducha settings delivery resend ID\` or \`/ducha settings delivery resend all\`.${
            p.waiting ? ` ${p.waiting} more are queued for delivery.` : ""
          }`,
    resent: (p) => `${p.count} messages will be delivered again, in their order.`,
    blockedDm: (p) =>
      `:warning: ducha cannot post in ${channel(p.channelId)} (${p.code}), so the task cards you dispatched are held. Type \`/invite @ducha\` there: they will follow automatically, nothing is lost.`,
    blockedSupervision: (p) =>
      `:warning: ducha is not in ${channel(p.channelId)} (${p.code}); messages to it are held until ducha is invited.`,
    gaveUp: (p) =>
      `:x: A message to ${channel(p.channelId)} could not be delivered (${p.code}) and was dropped.`,
    kindName: {
      archive: "an archive",
      "bulletin.docx": "a bulletin as Word",
      "closure.line": "a task reported done to its leader",
      "closure.report": "a report to a leader",
      "closure.notice": "a report's Read and Instruct buttons",
      experience: "experience worth spreading",
      "card.post": "a task card",
      "card.update": "a card update",
      "notice.co": "a notice to a co-operating department",
      "secret.dm": "a confidential task's DM",
      "rollup.post": "a decision's rollup",
      "rollup.update": "a rollup update",
      "task.notice": "a thread notice",
      digest: "a daily digest",
      escalation: "an escalation",
      escalations: "an escalation",
      "coordination.notice": "a coordination request",
      reaction: "a confirming reaction",
      ephemeral: "a personal notice",
      "summary.post": "a summary",
      "ledger.upload": "a ledger file",
      text: "a message",
      "delivery.problem": "a delivery notice",
    },
    authRestored: (p) =>
      `:warning: From ${p.since} Slack refused ducha's token (${p.code}) and delivery paused; at ${p.until} the token worked again and the cards, notices and summaries owed meanwhile have gone out, in their order, none lost. ` +
      "If the token was not changed on purpose, check who changed the app's installation.",
    missingScope: (p) =>
      `:no_entry: ducha lacks the Slack scope \`${p.scope}\`, so ${p.what} could not be sent (missing_scope) and was dropped. ` +
      `An admin should open the app at https://api.slack.com/apps, update its App Manifest from ducha's manifest.yml and reinstall it to the workspace to grant \`${p.scope}\`. Messages of this kind work again once it is granted.`,
    channelGone: (p) =>
      `:no_entry: ${channel(p.channelId)} does not exist or is a private channel ducha is not in, so ${p.what} could not be delivered and was dropped. ` +
      "Type `/invite @ducha` there, or give the department another channel with `/ducha dept`.",
    archived: (p) =>
      `:no_entry: ${channel(p.channelId)} is archived, so ${p.what} could not be delivered and was dropped. Unarchive it, or give the department another channel with \`/ducha dept\`.`,
    refused: (p) =>
      `:no_entry: Slack refused ${p.what} (${p.code}); it was dropped. This is ducha's own problem: please pass this notice to technical support.`,
  },

  summary: {
    title: (p) =>
      p.issueNo !== null
        ? `Supervision bulletin No. ${p.issueNo} · ${p.label}`
        : `${p.kind === "week" ? "Weekly" : p.kind === "month" ? "Monthly" : "Yearly"} summary · best, worst and the middle · ${p.label}`,
    weekLabel: (p) => `week ${p.week} (${p.from}–${p.to})`,
    monthLabel: (p) => `${p.year}-${String(p.month).padStart(2, "0")}`,
    yearLabel: (p) => `${p.year}`,
    asOf: (p) => ` as of ${p.at}`,
    totals: (p) =>
      `*${p.total} tasks*: ${p.closed} closed (${p.pct}%), ${p.open} open, ${p.overdue} overdue` +
      (p.closedLate ? `; ${p.closedLate} closed late` : ""),
    lightsNow: (p) => `now ${p.red} red, ${p.yellow} yellow`,
    change: (p) => `Since ${p.since}: total ${p.total}, closed ${p.closed}, overdue ${p.overdue}`,
    since: { week: "last week", month: "last month", year: "last year" },
    empty: "No supervision tasks in this period.",
    bestHeading: (p) => `:trophy: *Experience worth spreading* (top ${p.count})`,
    worstHeading: (p) => `:warning: *Where help is needed* (bottom ${p.count})`,
    notRanked: (p) => `Fewer than two departments have ${p.min} scored tasks: no ends this period.`,
    department: (p) => `*${p.rank}. ${esc(p.name)}*  ${p.score} points${p.change ? ` ${p.change}` : ""}`,
    closedOnTime: (p) => `${p.count} closed on time`,
    starredNone: "No starred reports this period",
    quote: (p) => `:star: ${p.number} “${p.title}”: ${p.text} (${p.by})`,
    secretQuote: (p) => `:star: ${p.number} (confidential, not quoted)`,
    red: (p) => `${p.count} red${p.stalled ? ` (${p.stalled} stalled)` : ""}`,
    points: (p) => `Deductions: ${p.items}`,
    noDeductions: "no deductions",
    causes: (p) => `Causes: ${p.items}`,
    more: (p) => `…and ${p.count} more, see the ledger`,
    middleNamed: (p) => `*The middle*: ${p.items}`,
    middleRange: (p) =>
      `*The middle*: ${p.count} more departments, ${p.min}–${p.max} points, average ${p.average}`,
    middleItem: (p) => `${esc(p.name)} ${p.score}${p.change}`,
    insufficient: (p) => `Too few tasks to rank (fewer than ${p.min}): ${p.names}`,
    difficultiesHeading: (p) => `:construction: *Difficulties* (${p.count} open blockers)`,
    difficulty: (p) => `${p.line} · ${p.cause} · since ${p.since}`,
    coordinationsHeading: (p) => `:handshake: *Coordination requests* (${p.count} open)`,
    coordination: (p) =>
      `${p.link} “${p.title}”: ${esc(p.from)} asked *${esc(p.to)}*, waiting ${p.workdays} working day${p.workdays === 1 ? "" : "s"}${p.answered ? " (answered)" : ""}`,
    hotspotsHeading: (p) => `:fire: *Hot topics* (${p.tags}, ${p.count})`,
    barsHeading: "*Scores*",
    rankUp: (n) => `↑${n}`,
    rankDown: (n) => `↓${n}`,
    rankSame: "→",
    rankNew: " (new)",
    rules: (p) =>
      `Scoring: base ${p.base}, ${p.items}. Ties: more closed on time, then fewer overdue, then more tasks. Departments with fewer than ${p.min} scored tasks are not ranked.`,
    overflow: ":page_facing_up: Not everything fits in a message: the rest is in the attached ledger.",
    bulletinLedger: ":page_facing_up: The ledger is attached.",
    postButton: "Post to the leadership channel",
    cancel: "Cancel",
    postConfirm: "Post this summary to the leadership channel? Everyone there will see it.",
    posted: (p) => `Posted to ${channel(p.channelId)}.`,
    previewCanPost:
      "Only you can see this. When it reads right, post it to the leadership channel with the button below.",
    preview: "Only you can see this.",
    ruleName: {
      overdue: "overdue",
      reportMissed: "report missed",
      lateAck: "late acknowledgement",
      returned: "returned",
      perfunctory: "perfunctory report",
      closedOnTime: "closed on time",
      starred: "starred report",
      coordinationLapsed: "coordination request left unanswered",
      relapsed: "problem back at the follow-up check",
      falseClaim: "false completion claim",
      rectificationOwed: "rectification owed",
    },
    periodWords: {
      week: "this week",
      month: "this month",
      year: "this year",
      "last-week": "last week",
      "last-month": "last month",
      "last-year": "last year",
    },
  },

  chart: {
    title: (p) => `${p.title} · scores`,
    legend: "Rank · department · open tasks red/yellow/green · score (0–100); green the best, red the worst",
    middle: (p) => `${p.count} in the middle`,
    average: (p) => `average ${p.average}`,
    range: (p) => `${p.min}–${p.max}`,
    unranked: (p) => `${p.count} departments with too few tasks`,
    footnote: (p) => `Rank “—”: fewer than ${p.min} scored tasks, not ranked (grey).`,
    fileName: (p) => `scores_${p.key}.png`,
    comment: (p) => `Scores: ${p.label}`,
  },
  bulletin: {
    heading: "Supervision Bulletin",
    issue: (p) => `No. ${p.no}`,
    defaultOffice: "Supervision Office",
    date: (p) => `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`,
    subject: (p) => `On the progress of supervised tasks, ${p.label}`,
    sections: [
      "1. Overview",
      "2. Good examples",
      "3. Problems",
      "4. Difficulties and coordination",
      "5. Next steps",
    ],
    totals: (p) =>
      `${p.label}: ${p.total} supervised tasks, ${p.closed} closed (${p.pct}%), ${p.open} open; ${p.overdue} overdue and open, ${p.closedLate} closed late. Now ${p.red} red and ${p.yellow} yellow.`,
    middle: (p) => `The other ${p.count} departments scored ${p.min}–${p.max} (average ${p.average}).`,
    department: (p) => `(${p.order}) ${p.name} (score ${p.score}, rank ${p.rank})`,
    bestLine: (p) => `${p.closedOnTime} closed on time.`,
    starred: (p) => `${p.number} “${p.title}”: ${p.text}`,
    noStarred: "No report was starred this period.",
    worstLine: (p) =>
      `${p.red} red, ${p.stalled} of them stalled${p.deductions ? `; deductions: ${p.deductions}` : ""}.`,
    redItem: (p) => `${p.number} “${p.title}”${p.reasons ? ` (${p.reasons})` : ""}`,
    causes: (p) => `Main causes: ${p.items}.`,
    deduction: (p) => `${p.rule} −${p.points}`,
    causeCount: (p) => `${p.cause} ${p.count}`,
    noProblems: "No department to name this period.",
    difficulty: (p) =>
      `${p.department} reports ${p.cause} trouble with ${p.number} “${p.title}”, unresolved since ${p.since}.`,
    coordination: (p) =>
      `${p.number} “${p.title}”: ${p.from} asked ${p.to}, waiting ${p.workdays} working days${p.answered ? " (answered)" : ""}.`,
    noDifficulties: "No blockers or coordination requests this period.",
    more: (p) => `${p.count} more in the attached ledger.`,
    nextWorst: (p) =>
      `${p.names}: analyse each red task, set measures and dates, and report before next week's review.`,
    nextCoordination: (p) => `${p.names}: answer the coordination requests without delay.`,
    nextBest: (p) => `Departments are asked to learn from ${p.names}.`,
    nextAlways: "The office keeps following up and will report departments whose problems persist.",
    scoresTitle: "Annex: scores",
    scoresHeader: ["Rank", "Department", "Score", "Change"],
    notRanked: "not ranked",
    rankChange: (p) =>
      p.change === null ? "—" : p.change > 0 ? `up ${p.change}` : p.change < 0 ? `down ${-p.change}` : "same",
    fileTitle: (p) =>
      p.no ? `Supervision Bulletin No. ${p.no} (${p.label})` : `Supervision Bulletin (${p.label})`,
    distribution: (p) => `${p.line}: ${p.text}`,
    fileName: (p) => `bulletin_${p.key}.docx`,
  },

  score: {
    title: (p) => `*${esc(p.name)}* · ${p.period}: *${p.score}* points (${p.rank})`,
    rank: (p) => `rank ${p.rank} of ${p.of}`,
    insufficient: (p) => `${p.count} scored tasks, fewer than ${p.min}: not ranked`,
    item: (p) =>
      `• ${p.number} “${p.title}” ${p.rule}${p.count > 1 ? ` ×${p.count}` : ""}  ${p.points > 0 ? "+" : ""}${p.points}`,
    noItems: "Nothing added or deducted this period: the base score.",
    moreItems: (p) => `…and ${p.count} more: export the ledger to see them.`,
  },

  ledger: {
    fileTitle: (p) => `Supervision ledger · ${p.label}`,
    filePrefix: "ducha-ledger",
    allTasks: "all tasks",
    sheetTasks: "Tasks",
    sheetReports: "Reports",
    sheetScores: "Scores",
    taskHeaders: [
      "No.",
      "Task number",
      "Source",
      "Leader",
      "Task",
      "Requirement",
      "Lead",
      "Co-operating",
      "Responsible",
      "Dispatched",
      "Due",
      "Urgency",
      "Latest progress",
      "Last report",
      "Light",
      "State",
      "Extensions",
      "Closed",
      "Remarks",
    ],
    reportHeaders: [
      "Task number",
      "Task",
      "Department",
      "By",
      "At",
      "Kind",
      "Via",
      "Progress",
      "Text",
      "Blocker",
      "Cause",
      "Perfunctory",
      "Starred",
      "Remarks",
      "Files",
    ],
    scoreHeaders: [
      "Rank",
      "Department",
      "Score",
      "Scored tasks",
      "On time",
      "Overdue",
      "Deducted",
      "Added",
      "Items",
    ],
    sheetInformation: "Information",
    informationHeaders: [
      "Number",
      "Unit",
      "Title",
      "Category",
      "Urgency",
      "Happened",
      "Reported",
      "Minutes taken",
      "Late",
      "Review",
      "Follow-ups",
      "State",
    ],
    sheetCoordinations: "Coordination",
    coordinationHeaders: [
      "Number",
      "Task",
      "Asked by",
      "Asked of",
      "Needed",
      "Asked at",
      "Answer due",
      "State",
      "Answered at",
      "Answer or reason declined",
    ],
    coordinationState: {
      open: "waiting",
      accepted: "taken on",
      answered: "answered",
      resolved: "resolved",
      declined: "declined",
    },
    urgent: "urgent",
    normal: "normal",
    yes: "yes",
    secretTitle: "(confidential)",
    kindName: { report: "report", claim: "completion claim", comment: "comment" },
    viaName: { thread: "thread reply", modal: "form" },
    blocker: (p) => `blocker: ${p.cause} (since ${p.since})`,
    returned: (p) => `returned ${p.count}×`,
    extensionPending: (p) => `extension requested (to ${p.date})`,
    originalDue: (p) => `originally due ${p.date}`,
    retracted: "taken back",
    edited: "edited",
    insufficient: "too few tasks",
    progress: (p) => `${p.percent}%`,
    item: (p) =>
      `${p.number} ${p.rule}${p.count > 1 ? `×${p.count}` : ""} ${p.points > 0 ? "+" : ""}${p.points}`,
  },

  export: {
    started: (p) =>
      `:hourglass_flowing_sand: Building the ledger (${p.filter}, ${p.count} tasks); it will come to you by DM.`,
    empty: (p) => `No tasks match (${p.filter}); no ledger was made.`,
    progress: {
      ledger: (p) => `the ledger (${p.label})`,
      bulletin: (p) => `${p.no ? `bulletin No. ${p.no}` : "the bulletin"} as Word and its ledger`,
      overflow: "the summary's ledger",
      building: (p) => `:hourglass_flowing_sand: Building ${p.what}… ${p.percent}% done`,
      ready: (p) => `:white_check_mark: ${p.what} is ready (${p.seconds} s): the file is below.`,
      failed: (p) => `:warning: Building ${p.what} failed; it will be tried again shortly.`,
    },
    comment: (p) => `Supervision ledger: ${p.filter}, ${p.count} tasks.`,
    filterWords: { all: "all tasks", open: "open", red: "red", yellow: "yellow", stalled: "stalled" },
  },

  help: {
    title: "ducha — supervision assistant",
    intro:
      "Turns leaders' decisions into supervised tasks for departments, tracks acknowledgement, progress and completion, and keeps every traffic light honest.",
    sectionHeading: {
      common: "General",
      summary: "Summaries and the ledger",
      dept: "Departments (admins)",
      role: "Roles (admins)",
      settings: "Settings (admins)",
    },
    lines: {
      help: "`/ducha help` — this help",
      new: "`/ducha new [decision text]` — cut a decision into supervision tasks and dispatch them (supervisors, leaders, admins)",
      shortcut: "Or choose “转为督办事项” in a message's ⋯ menu",
      list: `${usage.list} — tasks (your department's by default); leaders: assigned; supervisors: recheck, closures`,
      check: `${usage.check} — an on-site check's record: who, when, where, photos and the finding`,
      inform:
        "`/ducha report` — a unit reports information up (incident, important matter, public opinion, early warning): urgent within 4 hours; or the message shortcut; `/ducha list info [today|owed|late]`, `/ducha summary info month`",
      informMiss: `${usage.infoMiss} — supervisors record a missed report`,
      archive: `${usage.archive} — admins archive a year: a folder per task (assignment, reports, evidence files), a catalogue, one ZIP on the server`,
      search: `${usage.search} — decisions, tasks, reports, coordination and information of every year, closed and cancelled included`,
      show: `${usage.show} — one task in full, with its files and history`,
      thread: "Reply in a task card's thread (files welcome) to report progress",
      summary: `${usage.summary} — the best, the worst and the middle, difficulties and hot topics (supervisors can post it)`,
      score: `${usage.score} — a department's score and every item behind it`,
      export: `${usage.export} — the ledger as an Excel file, by DM`,
      deptAdd: `${usage.deptAdd} — add a department and its channel`,
      deptList: "`/ducha dept list` — all departments",
      deptRemove: `${usage.deptRemove} — remove a department (not while it leads open tasks)`,
      deptMembers: `${usage.deptMembers}`,
      roleAdd: `${usage.roleAdd}`,
      roleRemove: `${usage.roleRemove}`,
      roleList: "`/ducha role list` — supervisors, leaders and admins",
      settings: "`/ducha settings` — show the settings",
      settingsLeadership: "`/ducha settings leadership #channel` — summaries and bulletins go here",
      settingsSupervision: "`/ducha settings supervision #channel` — escalations and system notices go here",
      settingsSchedule: `${usage.settingsSchedule}`,
      settingsThreshold: `${usage.settingsThreshold}`,
      settingsTimezone: `${usage.settingsTimezone}`,
      settingsCatchUp: `${usage.settingsCatchUp}`,
      settingsOffice: `${usage.settingsOffice}`,
      settingsBulletinScope: `${usage.settingsBulletinScope}`,
      settingsDistribution: `${usage.settingsDistribution}`,
      settingsLoops: `${usage.settingsLoops}`,
      settingsInfo: `${usage.settingsInfo}`,
      settingsHoliday: `${usage.settingsHoliday}`,
      settingsImport:
        "`/ducha settings calendar import [notice]` — import the State Council's yearly holiday notice",
      settingsSummary: `${usage.settingsSummary}`,
      settingsDelivery: `${usage.settingsDelivery}`,
    },
    english: (p) => `The Chinese subcommands work too: ${p.words}.`,
  },

  dept: {
    added: (p) =>
      `Added department *${esc(p.name)}* with channel ${channel(p.channelId)}` +
      (p.members.length ? `, members ${list(p.members.map(user))}` : ", no members yet") +
      (p.aliases.length ? `, aliases ${list(p.aliases.map(esc))}` : "") +
      ".",
    reactivated: (p) => `Department *${esc(p.name)}* had been removed and is restored.`,
    botNotInChannel: (p) =>
      `:warning: ducha is not in ${channel(p.channelId)} yet: type \`/invite @ducha\` there, or task cards cannot be posted.`,
    channelNotFound: (p) =>
      `:warning: Channel ${channel(p.channelId)} was not found or ducha cannot see it (invite ducha to private channels first).`,
    removed: (p) => `Removed department *${esc(p.name)}*. Its past tasks and records are kept.`,
    listTitle: (p) => `Departments (${p.count})`,
    listEmpty: "No departments yet. Admins add one with `/ducha dept add NAME #channel`.",
    line: (p) =>
      `*${esc(p.name)}* ${channel(p.channelId)}` +
      (p.aliases.length ? ` (aliases: ${list(p.aliases.map(esc))})` : "") +
      ` — members: ${p.members.length ? list(p.members.map(user)) : "none"}`,
    membersSet: (p) =>
      `Members of *${esc(p.name)}*: ${p.members.length ? list(p.members.map(user)) : "none"}` +
      (p.added.length ? `\nAdded: ${list(p.added.map(user))}` : "") +
      (p.removed.length ? `\nRemoved: ${list(p.removed.map(user))}` : ""),
    membersShow: (p) =>
      `Members of *${esc(p.name)}*: ${p.members.length ? list(p.members.map(user)) : "none"}`,
  },

  role: {
    added: (p) => `${user(p.userId)} is now a ${roleNames[p.role]}.`,
    already: (p) => `${user(p.userId)} is already a ${roleNames[p.role]}.`,
    removed: (p) => `${user(p.userId)} is no longer a ${roleNames[p.role]}.`,
    listTitle: "Roles",
    listLine: (p) =>
      `*${roleNames[p.role]}*: ` +
      (p.users.length || p.envUsers.length
        ? list([...p.envUsers.map((u) => `${user(u)} (from configuration)`), ...p.users.map(user)])
        : "none"),
  },

  settings: {
    title: "Settings",
    infoChannel: "Information channel (reports from the units)",
    leadershipChannel: "Leadership channel (summaries, bulletins)",
    supervisionChannel: "Supervision channel (escalations, system notices)",
    set: (p) => `${p.label} is now ${channel(p.channelId)}.`,
    timezone: "Time zone",
    language: "Language",
    languageName: { "zh-CN": "Chinese", en: "English" },
    jobTimeZone: "Jobs' time zone",
    officeName: "Issuing office",
    bulletinScope: "Bulletin scope",
    loops: (p) =>
      `*Rectification and follow-up checks*: rectification measures within ${p.rectify} working days; follow-up checks answered within ${p.reply} working days; follow-up check offered at verification: ${p.recheck || "none"}; tags needing an on-site check: ${p.siteTags || "none"}`,
    recheckAfter: (p) => `${p.what} after ${p.days} days`,
    distribution: "the bulletin's distribution",
    distributionLine: { report: "Reported to", send: "Sent to", issue: "Issued to" },
    bulletinScopeName: (p) =>
      p.to === "units"
        ? "the leadership channel and every unit's channel"
        : p.to === "channel"
          ? `the leadership channel and ${channel(p.channel ?? "")}`
          : "the leadership channel only",
    catchUp: (p) => `A run missed while the bot was down is made up on start if it is within ${p.hours} h`,
    schedules: "Schedules (cron: minute hour day month weekday)",
    thresholds: "Light thresholds",
    calendarKnown: (p) =>
      `Holiday data: built in until ${p.builtIn}${p.imported.length ? `; State Council notices imported for ${p.imported.join(", ")}` : ""}`,
    calendarUnknown: (p) =>
      `:warning: ducha does not know ${p.year}'s statutory holidays and make-up workdays; until it does it counts working days as weekdays minus New Year, Labour Day and National Day: Spring Festival would count as working days and make-up Saturdays as days off. ` +
      `An admin should paste the State Council's notice (国务院办公厅关于${p.year}年部分节假日安排的通知) into \`/ducha settings calendar import\`.`,
    imported: (p) =>
      `:white_check_mark: ${p.replaced ? "Re-imported" : "Imported"} ${p.year}'s holidays:\n${p.holidays.map((h) => `• ${h}`).join("\n")}\n` +
      (p.workdays.length ? `Make-up workdays: ${p.workdays.join(", ")}` : "No make-up workdays"),
    holidayLine: (p) => `${p.name}: ${p.from === p.to ? p.from : `${p.from} to ${p.to}`}, ${p.days} days`,
    importModal: {
      title: "Import holiday notice",
      label: "The State Council's notice",
      hint: "Paste the whole notice (国务院办公厅关于YYYY年部分节假日安排的通知) with its title; lines that cannot be read are named and nothing is imported.",
      submit: "Import",
    },
    calendar: (p) => `Calendar changes: ${p.count} day(s) (\`/ducha settings calendar\`)`,
    jobName: {
      daily: "daily reminders",
      urgent: "urgent checks",
      weekly: "weekly summary",
      monthly: "monthly bulletin",
      housekeeping: "housekeeping",
      info: "daily information digest",
    },
    thresholdName: Object.fromEntries(
      Object.entries(THRESHOLD_WORDS).map(([key, words]) => [key, words[0]]),
    ) as Record<keyof import("../domain/lights.js").LightThresholds, string>,
    changed: (p) => `${p.what} is now ${p.value}.`,
    calendarSet: (p) => `${p.date} is now ${p.kind}.`,
    calendarKinds: { holiday: "a day off", workday: "a working day", clear: "as the built-in calendar says" },
    summaryTitle: "Summaries (best, worst and the middle)",
    summaryName: {
      ends: "departments named at each end",
      minSample: "scored tasks needed to be ranked",
      hotTags: "hot tags",
    },
  },

  archive: {
    fileName: (p) => `ducha-archive-${p.year}.zip`,
    folder: (p) => `${p.year}-task-${String(p.seq).padStart(4, "0")}`,
    catalogue: "catalogue.xlsx",
    catalogueSheet: "Catalogue",
    catalogueHeaders: [
      "Archive no.",
      "Task no.",
      "Task",
      "Lead",
      "Co-operating",
      "Dispatched",
      "Closed",
      "Result",
      "Files",
      "Missing files",
    ],
    order: "assignment.docx",
    reports: "reports.xlsx",
    reportsSheet: "Reports",
    reportHeaders: ["Time", "By", "Kind", "Text", "Progress", "Files"],
    extensionsSheet: "Extensions",
    extensionHeaders: ["Due", "Extended to", "Reason"],
    coordinationsSheet: "Coordination",
    coordinationHeaders: ["Asked", "Asked of", "Needed", "State", "Answer"],
    evidence: "evidence",
    orderTitle: "Task assignment",
    orderLines: {
      number: "Task no.",
      archiveNo: "Archive no.",
      title: "Task",
      requirement: "Requirement",
      lead: "Lead",
      co: "Co-operating",
      dispatched: "Dispatched",
      due: "Due",
      source: "Source",
      leader: "Assigned by",
      decision: "Decision",
      result: "Result",
      verify: "Verification",
      siteCheck: "On-site check",
    },
    none: "none",
    started: (p) =>
      `:file_cabinet: Archiving ${p.year}: ${p.tasks} tasks${p.open ? ` (${p.open} still open, archived as they stand)` : ""}. You will be told here when it is done.`,
    progress: (p) => `:file_cabinet: Archiving: ${p.done}/${p.total} tasks done.`,
    done: (p) =>
      `:white_check_mark: Archive ready: ${p.file} (${p.size}), ${p.tasks} tasks, ${p.files} files${p.missing ? `; ${p.missing} files Slack no longer serves are listed as missing in the catalogue` : ""}.`,
    failed: (p) =>
      `:x: The archive stopped: ${p.reason}. What was done is kept; \`/ducha archive\` again goes on from there.`,
    diskFull: "the server's disk is full",
    requested: (p) => `Archiving ${p.year}'s ${p.tasks} tasks; progress and the result come by DM.`,
  },

  search: {
    title: (p) => `Search "${p.words}"${p.page > 1 ? ` (page ${p.page})` : ""}`,
    empty: (p) => `Nothing found with "${p.words}".`,
    kindName: {
      decision: "Decision",
      task: "Task",
      report: "Report",
      coordination: "Coordination",
      info: "Information",
      info_follow: "Follow-up",
    },
    decision: (p) => `Decision ${p.ref}`,
    line: (p) =>
      `${p.kind} · ${p.head}${p.unit ? ` — ${p.unit}` : ""}${p.state ? ` · ${p.state}` : ""} · ${p.date}\n> ${p.excerpt}`,
    infoState: { open: "following up", final: "final report given" },
    next: "Next page",
    box: "Search (press Enter)",
    placeholder: "e.g. 供暖 dept 住建局 2025 closed",
  },

  info: {
    categoryName: {
      incident: "incident",
      important: "important matter",
      opinion: "public opinion",
      warning: "early warning",
    },
    urgencyName: { urgent: "urgent", normal: "normal" },
    verdictName: {
      pending: "to review",
      adopted: "adopted",
      rejected: "not adopted",
      returned: "returned for more",
    },
    number: (p) => `Info ${p.year}-${p.seq}`,
    duration: (p) =>
      p.minutes >= 60 ? `${Math.floor(p.minutes / 60)} h ${p.minutes % 60} min` : `${p.minutes} min`,
    secretTitle: "Confidential information",
    head: (p) => `${p.number} ${p.title}`,
    meta: (p) =>
      `From ${p.unit} · ${p.category} · ${p.urgency} · happened ${p.occurred}${p.place ? ` · ${p.place}` : ""}`,
    clockOk: (p) => `:stopwatch: Reported in ${p.taken} (limit ${p.limit})`,
    clockLate: (p) => `:warning: *Late* by ${p.over} (reported in ${p.taken})`,
    standing: (p) =>
      `Review: ${p.verdict}${p.by ? ` (<@${p.by}>)` : ""}${p.note ? `: ${p.note}` : ""} · ${p.state}`,
    stateName: { open: "following up", final: "final report given" },
    followUpAsk: (p) => `:hourglass_flowing_sand: Follow-up asked by ${p.by}`,
    followUps: (p) => `${p.count} follow-up(s)`,
    files: (p) => `:paperclip: ${p.links}`,
    reportedBy: (p) => `reported by ${p.user} ${p.at}`,
    copyNote:
      "Your unit's report. Press Follow up (or reply in this thread) as things develop; Final when it is over.",
    adopt: "Adopt",
    reject: "Not adopted",
    returnIt: "Return for more",
    ask: "Ask for follow-up",
    follow: "Follow up",
    final: "Final",
    instruct: "Instruct",
    verdictNotice: (p) => `:leftwards_arrow_with_hook: <@${p.by}> ${p.verdict}: ${p.note}`,
    askedNotice: (p) =>
      `:hourglass_flowing_sand: <@${p.by}> asks for a follow-up by ${p.until}. ${p.members}`,
    followNotice: (p) => `:memo: ${p.kind} (<@${p.by}>): ${p.text}`,
    ladder: (p) =>
      p.step === 1
        ? `:bell: Reminder: the follow-up due by ${p.until} has not come.`
        : `:mega: ${p.members} the follow-up due by ${p.until} is still owed: please send it now.`,
    escalation: (p) =>
      `:rotating_light: *Follow-up overdue*: ${p.unit}'s ${p.link} "${p.title}" was due by ${p.until}.`,
    submitted: (p) =>
      p.late
        ? `Reported as ${p.number}. :warning: ${p.taken} after the event, ${p.over} past the limit: counted late. Follow up with details soon.`
        : `Reported as ${p.number} (in ${p.taken}). Follow up with details.`,
    decided: (p) =>
      `${p.verdict}.${p.digestNo !== null ? ` Urgent: sent to the leaders at once in digest no. ${p.digestNo}.` : ""}`,
    missDone: (p) => `Recorded a missed report for ${p.department}.`,
    modalTitle: "Report information",
    modalUnit: "Reporting unit",
    modalTitleLabel: "Title",
    modalDate: "Date it happened",
    modalTime: "Time it happened",
    modalPlace: "Place",
    modalCategory: "Category",
    modalUrgency: "Urgency",
    modalText: "What is known now",
    modalTextHint: "Say what happened first; details follow in follow-ups.",
    modalConfidentiality: "Who may know",
    modalFiles: (p) => `The message's ${p.count} file(s) go with it.`,
    reasonTitle: (p) => p.verdict,
    reasonLabel: "Reason (the unit is told)",
    askTitle: "Ask for a follow-up",
    askDate: "By date",
    askTime: "By time",
    followTitle: (p) => p.kind,
    followLabel: "What is new",
    instructTitle: "Leader's instruction",
    instructLabel: "Instruction",
    instructRef: (p) => `Instruction on digest no. ${p.no}: ${p.title}`,
    digestTitle: (p) => `Digest no. ${p.no}`,
    digestIntro: (p) => `${p.date}, ${p.count} item(s).`,
    digestItem: (p) =>
      `${p.order}. *${p.title}* (${p.unit}, happened ${p.occurred}${p.late ? ", late" : ""}) ${p.text}`,
    digestFile: (p) => `digest-${p.no}.docx`,
    docHeading: "Digest",
    docIssue: (p) => `No. ${p.no}`,
    docEditor: (p) => `Edited by ${p.office}`,
    docSource: (p) => `(${p.unit}, reported ${p.at})`,
    listTitle: (p) => `Information · ${p.what} (${p.count})`,
    listWhat: { recent: "recent", today: "today", owed: "follow-up owed", late: "late" },
    listEmpty: "Nothing matches.",
    listLine: (p) =>
      `${p.number} ${p.title} — ${p.unit}, ${p.at}, ${p.verdict}${p.late ? " · :warning: late" : ""}${p.owed ? " · :hourglass_flowing_sand: follow-up owed" : ""}`,
    rankingTitle: (p) => `Information work · ${p.label}`,
    rankingRules: "Scoring: 100, +2 per adopted report, −3 per late one, −5 per missed one.",
    rankingLine: (p) =>
      `${p.rank === null ? "—" : `${p.rank}.`} *${p.unit}* ${p.score} — sent ${p.sent}, adopted ${p.adopted}, late ${p.late}, missed ${p.missed}`,
    rankingBest: "Prompt, often adopted",
    rankingWorst: "Late or missed most",
    rankingMiddle: (p) => `${p.count} unit(s) in the middle.`,
    rankingEmpty: "No information reported in this period.",
    bulletinSection: "Annex: information work",
    bulletinTotals: (p) =>
      `Information work: ${p.sent} report(s) sent, ${p.adopted} adopted, ${p.late} late, ${p.missed} missed.`,
    homeOffice: (p) =>
      `*Information*: ${p.today} today, ${p.pending} to review, ${p.owed} follow-up(s) owed — \`/ducha list info\``,
    homeUnit: (p) =>
      `*Your unit's information*: ${p.open} open${p.owed ? `, ${p.owed} follow-up(s) asked` : ""} — \`/ducha report\``,
  },

  closureDoc: {
    title: (p) => `Report on the instruction "${p.subject}"`,
    salutation: (p) => `To ${p.leader}:`,
    opening: (p) =>
      `On ${p.date} you instructed on "${p.subject}"${p.round > 1 ? ", and instructed further" : ""}. The office made it ${p.count} supervised tasks; all are now done. This reports how.`,
    sections: ["1. What was required", "2. What was done", "3. Evidence", "4. Time used", "5. Verification"],
    taskRequired: (p) =>
      `${p.number} ${p.title} (lead: ${p.lead})${p.requirement ? `: ${p.requirement}` : ""}`,
    taskDone: (p) => `${p.number} ${p.title} (${p.lead}):`,
    report: (p) => `${p.date}, ${p.by}: ${p.text}`,
    noReports: "(no written report)",
    file: (p) => `${p.number}: ${p.name}${p.link ? ` (${p.link})` : ""}`,
    noFiles: "(no files)",
    timing: (p) =>
      `${p.number}: dispatched ${p.dispatched}, due ${p.limit}, verified ${p.closed}, ${p.workdays} working days, ${p.onTime ? "on time" : "late"}.`,
    notClosed: "not yet",
    extension: (p) => `Extension approved: from ${p.from} to ${p.to}, because ${p.reason}`,
    verdict: (p) => `${p.number}: ${p.note}`,
    noNote: "Verified.",
    siteCheck: (p) =>
      `${p.date}, ${p.checkers}, ${p.covert ? "unannounced check" : "on-site check"} at ${p.place}: ${p.finding}${p.note ? `. ${p.note}` : ""}`,
    closing: "Respectfully submitted.",
    date: (p) => `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`,
    fileName: (p) => `instruction-report-${p.decisionId}-${p.round}.docx`,
  },

  loops: {
    verifiedNote: (p) => `Verification note: ${p.note}`,
    flagged: (p) =>
      `${p.rule === "relapsed" ? "Problem back at the follow-up check" : "False completion claim"}: ${p.department} ${p.task} "${p.title}"`,
    rectified: (p) =>
      `Units named in bulletin no. ${p.issueNo}: ${p.done ? `rectification measures sent by ${p.done}` : ""}${p.done && p.owed ? "; " : ""}${p.owed ? `still owed by ${p.owed}` : ""}.`,
    rectifyTitle: (p) => `Rectify what bulletin no. ${p.issueNo} found`,
    rectifyRequirement: (p) =>
      `Your unit ranked among the last in bulletin no. ${p.issueNo} (score ${p.score}). Analyse the causes of what it found (${p.items}) and send your rectification measures.`,
    verifiedRecheck: (p) => `:calendar: Follow-up check on ${p.date} (moved past holidays).`,
    recheckAsked: (p) =>
      `:mag: *Follow-up check*: this task closed a while ago. ${p.members.length ? p.members.map(user).join(", ") : "The unit"}, please reply in this thread by ${p.replyBy}: does the result hold, has the problem come back? Attach recent photos or records.`,
    recheckHeld: (p) =>
      `:white_check_mark: ${user(p.by)} found the result holds.${p.note ? ` ${p.note}` : ""}`,
    recheckRelapsed: (p) =>
      `:warning: ${user(p.by)} found the problem back; the task is open again: ${p.note}`,
    heldButton: "Result holds",
    relapsedButton: "Problem back",
    relapseTitle: "Problem back",
    relapseLabel: "What was found",
    relapseHint: "The task opens again, the unit loses 5 points and is named in the next bulletin.",
    recheckDone: (p) =>
      p.held ? "Recorded: the result holds." : "Recorded: the problem is back; the task is open again.",
    reinstructed: (p) =>
      `:memo: ${user(p.by)} instructs further: ${p.text}\nThe task is open again; ${p.members.length ? p.members.map(user).join(", ") : "the unit"}, please act and report in this thread.`,
    siteChecked: (p) =>
      `:round_pushpin: ${user(p.by)} ${p.covert ? "unannounced check" : "on-site check"}: ${p.finding}.${p.falseClaim ? " The completion claim does not match what was found: returned, and recorded as a false claim (−10)." : ""}`,
    covertMark: " (unannounced)",
    findingName: { true: "true", partly: "partly true", false: "not true" },
    closureLine: (p) =>
      `:white_check_mark: Of "${p.decision}" you assigned, ${p.task} has been verified (${p.closed}/${p.total} closed). The report follows when all are closed.`,
    closureReady: (p) =>
      `:page_facing_up: "${p.decision}" you assigned is done${p.round > 1 ? " after your further instruction" : ""} (${p.count} tasks). The report is attached for your review.`,
    readButton: "Read",
    reinstructButton: "Instruct further",
    readDone: (p) => `:ballot_box_with_check: Read (${p.at}).`,
    reinstructTitle: "Further instruction",
    reinstructText: "Instruction",
    reinstructAction: "What follows",
    actionRecord: "Record it; nothing more to do",
    actionReopen: "Reopen with the units that did it",
    reinstructDue: "New due date (optional)",
    reinstructDone: (p) => (p.count ? `Recorded; ${p.count} tasks are open again.` : "Recorded."),
    rechecksTitle: (p) => `Follow-up checks (${p.count} to decide)`,
    rechecksEmpty: "No follow-up checks pending.",
    recheckState: { scheduled: "scheduled", asked: "waiting for the unit", answered: "answered, to decide" },
    recheckLine: (p) => `${p.task} ${p.title} — ${esc(p.department)}, ${p.date}, ${p.state}`,
    closuresTitle: (p) => `Reports not yet read (${p.count})`,
    closuresEmpty: "Every report has been read.",
    closureOffice: (p) => `"${p.decision}" — ${user(p.leader)}, reported ${p.date}, not read`,
    more: (p) => `…and ${p.count} more.`,
    verifyTitle: "Verify",
    verifyNote: "Verification note",
    verifyNoteHint: "Goes into the report to the leader.",
    recheckDate: "Follow-up check on (optional)",
    recheckHint:
      "On that day (the next working day after a holiday) the unit is asked in the thread to confirm the result holds.",
    siteTitle: "On-site check",
    siteButton: "On-site check",
    siteCheckers: "Checked by",
    siteDate: "Date of the check",
    sitePlace: "Place",
    siteFinding: "Finding",
    siteNote: "What was found",
    siteCovert: "Unannounced (暗访)",
    siteFiles: "Photos and records (files shared in this thread)",
    siteDone: (p) =>
      p.falseClaim
        ? "Recorded: not true; the claim was returned as a false claim."
        : "On-site check recorded.",
    missing: "Please fill this in.",
    homeRechecks: (p) => `*Follow-up checks*: ${p.count} to decide — \`/ducha list recheck\``,
    homeClosures: (p) => `*Reports to leaders*: ${p.count} not yet read — \`/ducha list closures\``,
    homeAssigned: (p) =>
      `*Assigned by me*: ${p.red} red, ${p.yellow} yellow, ${p.green} green — \`/ducha list assigned\``,
  },

  errors: {
    not_allowed: (p: ErrorParams["not_allowed"]) => {
      const number = `No. ${p.year}-${p.seq}`;
      const action = enActionNames[p.action];
      switch (p.reason) {
        case "not_lead_member":
          return `Only members of the lead department (${esc(p.lead)}) can ${action} ${number}.`;
        case "not_member":
          return `Only members of the lead or co-operating departments can ${action}. To comment, just reply in the card's thread.`;
        case "not_supervisor":
          return `Only supervisors can ${action}.`;
        case "not_overseer":
          return `Only supervisors, leaders and admins can ${action}.`;
        case "already_acknowledged":
          return `${number} is already acknowledged.`;
        case "not_open":
          return `${number} is ${p.state === "closed" ? "closed" : "cancelled"}; it cannot ${action} now. A supervisor can reopen it.`;
        case "not_claimed":
          return `${number} has not been claimed as done; there is nothing to ${action}.`;
        case "awaiting_review":
          return `${number} is claimed as done and being verified; you cannot ${action} now.`;
        case "extension_pending":
          return `${number} already has an extension request waiting.`;
        case "no_extension":
          return `${number} has no extension request waiting.`;
        case "not_closed":
          return `${number} is still open; there is nothing to reopen.`;
      }
    },
    extension_not_later: () => "The new due date must be later than the current one.",
    coordination_resolve_forbidden: () =>
      "Only the lead department's members or a supervisor can mark coordination resolved.",
    coordination_not_yours: (p) =>
      `This coordination request was asked of ${esc(p.department)}: only its members take it on or answer it.`,
    coordination_closed: (p) => `This request to ${esc(p.department)} is ${p.state} already: nothing to do.`,
    bad_cron: (p: ErrorParams["bad_cron"]) =>
      `“${esc(p.expression)}” is not a schedule (${esc(p.problems.join("; "))}). Use: ${usage.settingsSchedule}`,
    bad_timezone: (p: ErrorParams["bad_timezone"]) =>
      `“${esc(p.given)}” is not a time zone. Use: ${usage.settingsTimezone}`,
    bad_threshold: (p: ErrorParams["bad_threshold"]) =>
      `${esc(p.name)} must be a whole number from 0 to ${p.max}.`,
    forbidden: (p: ErrorParams["forbidden"]) =>
      `Only ${list(p.roles.map((r) => `${roleNames[r]}s`))} can ${
        {
          create_decision: "dispatch supervision tasks",
          post_summary: "post summaries",
          view_summary: "see summaries",
          export: "export the ledger",
          score: "see department scores",
        }[p.action]
      }. Ask an admin for the role.`,
    summary_channel_unset: () =>
      "Neither the leadership nor the supervision channel is set, so the summary has nowhere to go. An admin can run `/ducha settings leadership #channel`.",
    summary_conflict: (p: ErrorParams["summary_conflict"]) =>
      `The summary of ${esc(p.key)} was posted by another process.`,
    draft_gone: () =>
      "This decision draft was already submitted or has expired: start again with `/ducha new`.",
    task_not_found: (p: ErrorParams["task_not_found"]) =>
      `No task “${esc(p.ref)}”. Give its number, e.g. \`/ducha show 12\` or \`/ducha show 2026-12\`.`,
    unknown_command: (p: ErrorParams["unknown_command"]) =>
      `There is no command “${esc(p.input)}”. Type \`/ducha help\` for the list.`,
    usage: (p: ErrorParams["usage"]) =>
      `${p.detail ? `${esc(p.detail)}\n` : "That is not the right form. "}Use: ${usage[p.usage]}`,
    admin_only: (p: ErrorParams["admin_only"]) =>
      `Only admins change departments, roles and settings. ${p.admins.length ? `Ask an admin: ${list(p.admins.map(user))}` : "There is no admin yet: name one in DUCHA_ADMINS."}`,
    need_user_mention: (p: ErrorParams["need_user_mention"]) =>
      `“${esc(p.given)}” is not a mention. Type @ and pick the person from the list.`,
    need_channel_mention: (p: ErrorParams["need_channel_mention"]) =>
      `“${esc(p.given)}” is not a channel mention. Type # and pick the channel from the list.`,
    dept_exists: (p: ErrorParams["dept_exists"]) => `Department *${esc(p.name)}* already exists.`,
    info_refused: (p: ErrorParams["info_refused"]) =>
      ({
        not_member:
          "Only a unit's members (and the office) report information. An admin adds you with `/ducha dept members`.",
        not_office:
          "Only the office (supervisors, admins) reviews information, asks for follow-ups and records missed reports.",
        not_unit: "Only the reporting unit's members follow up.",
        empty: "Give a title and what is known.",
        future: "The event cannot have happened in the future.",
        too_old: "The event cannot be more than a year back.",
        no_channel:
          "No information channel (nor supervision channel) is set. An admin sets one: `/ducha settings info-channel #channel`.",
        not_found: "No such report.",
        no_reason: "Give a reason: the unit will see it.",
        in_digest: "This report is in a digest already: its review cannot change.",
        past: "The follow-up time must be later than now.",
        final: "The final report was given already.",
      })[p.why],
    recheck_date: (p: ErrorParams["recheck_date"]) =>
      `The follow-up check date "${esc(p.date)}" must be after today.`,
    recheck_refused: (p: ErrorParams["recheck_refused"]) =>
      ({
        role: "Only supervisors decide a follow-up check.",
        not_asked: "The follow-up check's day has not come: the unit has not been asked yet.",
        decided: "This follow-up check has been decided already.",
        no_finding: "To record that the problem is back, say what was found.",
      })[p.why],
    site_check_needed: (p: ErrorParams["site_check_needed"]) =>
      `Tasks tagged "${esc(p.tags)}" need an on-site check that found the claim true (or partly true) before verification (the card's On-site check, or \`/ducha check NUMBER\`).`,
    site_check_refused: () => "Only supervisors record on-site checks.",
    closure_not_yours: (p: ErrorParams["closure_not_yours"]) =>
      `This report went to <@${p.leader}>: only that leader (or an admin) can mark it read or instruct further.`,
    not_a_leader: () => '"Assigned by me" is for leaders, supervisors and admins.',
    spread_refused: (p: ErrorParams["spread_refused"]) =>
      p.why === "secret"
        ? "A restricted task's reports are not spread to the units."
        : "This report is no longer starred, so it is not spread.",
    no_department: () =>
      "You are not a member of any department, so there is no score of your own to show. An admin can add you with `/ducha dept members`.",
    dept_not_found: (p: ErrorParams["dept_not_found"]) =>
      `No department “${esc(p.name)}”. Type \`/ducha dept list\` to see them all.`,
    name_taken: (p: ErrorParams["name_taken"]) =>
      `“${esc(p.name)}” is already used by department *${esc(p.by)}* (name or alias).`,
    dept_has_open_tasks: (p: ErrorParams["dept_has_open_tasks"]) =>
      `Department *${esc(p.name)}* still leads ${p.count} open task(s) and cannot be removed. Close, cancel or reassign them first.`,
    unknown_role: (p: ErrorParams["unknown_role"]) =>
      `There is no role “${esc(p.given)}”. Choose supervisor, leader or admin.`,
    role_not_held: (p: ErrorParams["role_not_held"]) => `${user(p.userId)} is not a ${roleNames[p.role]}.`,
    last_admin: (p: ErrorParams["last_admin"]) =>
      `${user(p.userId)} is the only admin and cannot give it up. Make someone else an admin first.`,
    role_from_env: (p: ErrorParams["role_from_env"]) =>
      `${user(p.userId)} is an admin named in DUCHA_ADMINS and can only be changed there.`,
    notice_unreadable: (p: ErrorParams["notice_unreadable"]) =>
      p.problem === "no_year"
        ? "No year found: paste the notice with its title (国务院办公厅关于YYYY年部分节假日安排的通知). The calendar is unchanged."
        : p.problem === "no_holidays"
          ? "No holiday arrangement found: paste the whole notice, one line per holiday such as “一、元旦：1月1日（周五）放假1天。”. The calendar is unchanged."
          : `These ${p.lines.length} lines cannot be read for sure (a date, weekday or day count does not match), so nothing was imported and the calendar is unchanged:\n${p.lines.map((l) => `> ${esc(l)}`).join("\n")}\nCheck them and paste again, or set days one by one with \`/ducha settings calendar DATE off|work\`.`,
    busy: () => "ducha is busy right now: nothing was done. Please try again in a moment.",
    internal: (p: ErrorParams["internal"]) =>
      `Sorry, something went wrong. Please try again; if it persists tell an admin (reference ${p.ref}).`,
    shortened: (p: { total: number }) => `… (${p.total} characters in all; cut short)`,
    database: (p: ErrorParams["database"]) =>
      `${
        {
          full: "The database's disk is full",
          corrupt: "The database file is damaged",
          busy: "The database is busy",
          readonly: "The database is read-only just now",
          unavailable: "The database cannot be reached",
        }[p.kind]
      }: nothing was saved. Please try again later. This was logged for the admins (reference ${p.ref}).`,
  },

  startup: {
    slackRefusedBotToken: (p) =>
      `ducha cannot start: Slack refused SLACK_BOT_TOKEN (${p.code}). Check the bot token (OAuth & Permissions page of the Slack app, starting with xoxb-) and SLACK_API_URL (now ${p.apiUrl}).`,
    slackRefusedAppToken: (p) =>
      `ducha cannot start: Slack refused SLACK_APP_TOKEN (${p.code}). Check the app-level token (Basic Information → App-Level Tokens, starting with xapp-, with connections:write).`,
    slackUnreachable: (p) =>
      `ducha cannot start: Slack cannot be reached at ${p.apiUrl}: ${p.message}. Check the network, SLACK_API_URL and, where needed, HTTPS_PROXY / NO_PROXY.`,
    portInUse: (p) =>
      `ducha cannot start: port ${p.port} is in use (PORT). Choose another port or stop what uses it.`,
    database: {
      ahead: (p) =>
        `ducha cannot start: the database ${p.url} was migrated by a newer version of ducha (migration ${p.migration} is unknown to this build). Run the newer version, or point DATABASE_URL at another database.`,
      modified: (p) =>
        `ducha cannot start: migration ${p.migration} in the database ${p.url} was changed after it was applied. Restore prisma/migrations from the release.`,
      unfinished: (p) =>
        `ducha cannot start: migration ${p.migration} of the database ${p.url} started but did not finish. Restore the database from a backup (see Backups in the README).`,
      orphans: (p) =>
        `ducha cannot start: migration ${p.migration} would leave rows pointing at nothing; it was rolled back and the database ${p.url} is unchanged. Contact technical support.`,
      unavailable: (p) =>
        `ducha cannot start: the database ${p.url} cannot be opened or migrated (${p.detail}). Check DATABASE_URL, the folder's permissions and the free disk space.`,
    },
    failed: (p) => `ducha cannot start: ${p.message}`,
  },

  config: {
    title: "ducha cannot start: the configuration is wrong:",
    missing: "not set",
    hint: "Check the environment or the .env file (see .env.example).",
    expect: {
      SLACK_BOT_TOKEN: "the bot token, starting with xoxb- (OAuth & Permissions page of the Slack app)",
      SLACK_SIGNING_SECRET:
        "the signing secret (Basic Information page); required in HTTP mode, or set SLACK_APP_TOKEN for Socket Mode",
      SLACK_APP_TOKEN: "an app-level token starting with xapp-, with connections:write (Socket Mode)",
      SLACK_API_URL: "the Web API base URL, http(s)://…, e.g. https://slack.com/api/",
      DATABASE_URL:
        "the database: a SQLite file such as file:./data/ducha.db, or PostgreSQL such as postgresql://ducha:password@db.example:5432/ducha",
      PORT: "a port number, an integer from 0 to 65535",
      DUCHA_TZ: "an IANA time zone name such as Asia/Shanghai",
      DUCHA_LOCALE: "the interface language: zh-CN or en",
      DUCHA_ADMINS: "comma-separated Slack user IDs such as U012AB3CD,U045EF6GH",
      LOG_LEVEL: "the log level: fatal, error, warn, info, debug or trace",
      DUCHA_WORKERS:
        "how many processes to run on this machine, a whole number from 1 to 16 (default 1; the number of cores on a larger machine)",
      HTTPS_PROXY: "a proxy URL such as http://proxy.example.org:3128",
      HTTP_PROXY: "a proxy URL such as http://proxy.example.org:3128",
    },
  },
};
