/** A department the splitter can recognise, by its name or any alias. */
export interface KnownDepartment {
  id: number;
  name: string;
  aliases: readonly string[];
}

export interface DepartmentMention {
  departmentId: number;
  start: number;
  end: number;
}

export interface Assignment {
  leadId?: number;
  coIds: number[];
  /** The lead was stated ("由财政局牵头"), not inferred from order. */
  leadStated: boolean;
  /** The co-operating departments were stated ("住建局、交通局配合"). */
  coStated: boolean;
  /** Names in a lead/co position that are not registered departments. */
  unknown: string[];
}

/** Every mention of a known department, longest name first, without overlaps. */
export function findMentions(text: string, departments: readonly KnownDepartment[]): DepartmentMention[] {
  const words = departments
    .flatMap((d) => [d.name, ...d.aliases].map((word) => ({ word, id: d.id })))
    .filter((w) => w.word.length > 0)
    .sort((a, b) => b.word.length - a.word.length);
  const taken = new Array<boolean>(text.length).fill(false);
  const mentions: DepartmentMention[] = [];
  for (const { word, id } of words) {
    let from = 0;
    for (;;) {
      const start = text.indexOf(word, from);
      if (start === -1) break;
      const end = start + word.length;
      let free = true;
      for (let i = start; i < end; i++) if (taken[i]) free = false;
      if (free) {
        for (let i = start; i < end; i++) taken[i] = true;
        mentions.push({ departmentId: id, start, end });
      }
      from = start + 1;
    }
  }
  return mentions.sort((a, b) => a.start - b.start);
}

const LEAD_AFTER = /^[\s]*(?:牵头|负责|主办|为牵头单位|抓总)/;
const CO_AFTER = /^[\s]*(?:配合|协助|协办|参与|协同|为配合单位|支持)/;
const CO_BEFORE = /(?:会同|协同|联合|协调)\s*$/;
/** "住建局配合人社局督促…": the one being helped leads. */
const LEAD_BEFORE = /(?:配合|协助)\s*$/;
const JOIN = /^[\s]*(?:、|，?和|及|与|以及|,)[\s]*$/;

/** Generic words that stand where a department would but name none. */
const NOT_A_DEPARTMENT =
  /^(?:各|有关|相关|其他|其它|属地|各级|各地|全市|全区|全县)|(?:各单位|有关部门|相关部门|各部门|相关单位|有关单位)$/;

/**
 * Who leads and who co-operates, as offices write it: "由财政局牵头，住建局、交通局配合",
 * "会同教育局", or, when no role is stated, the first department named leads.
 */
export function assign(text: string, mentions: readonly DepartmentMention[]): Assignment {
  // Group mentions joined by 、/和/及 ("住建局、交通局配合"): the role word after the group applies to all.
  const groups: DepartmentMention[][] = [];
  for (const mention of mentions) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (last && previous && JOIN.test(text.slice(previous.end, mention.start))) last.push(mention);
    else groups.push([mention]);
  }
  let leadId: number | undefined;
  const co: number[] = [];
  const unassigned: number[] = [];
  for (const group of groups) {
    const first = group[0];
    const last = group.at(-1);
    if (!first || !last) continue;
    const after = text.slice(last.end, last.end + 8);
    const before = text.slice(Math.max(0, first.start - 4), first.start);
    const ids = group.map((m) => m.departmentId);
    if (LEAD_AFTER.test(after) || LEAD_BEFORE.test(before)) {
      const [head, ...rest] = ids;
      if (leadId === undefined && head !== undefined) leadId = head;
      else if (head !== undefined) co.push(head);
      co.push(...rest);
    } else if (CO_AFTER.test(after) || CO_BEFORE.test(before)) {
      co.push(...ids);
    } else {
      unassigned.push(...ids);
    }
  }
  const leadStated = leadId !== undefined;
  const coStated = co.length > 0;
  if (leadId === undefined) leadId = unassigned.shift();
  const coIds = [...new Set([...co, ...unassigned])].filter((id) => id !== leadId);
  return {
    leadId,
    coIds,
    leadStated,
    coStated: coStated && unassigned.length === 0,
    unknown: unknownNames(text, mentions),
  };
}

const ROLE_WORD = /牵头|负责|配合|协助|协办|参与/g;
const DEPARTMENT_SUFFIX = /(?:局|委员会|委|办公室|办|厅|中心|公司|集团|署|院|站|队|街道|镇|乡|部)$/;
const RUN_STOP = /[^\u4e00-\u9fa5、]/;

/** Words standing in a lead or co position ("由市教育局牵头") that no registered department matches. */
function unknownNames(text: string, mentions: readonly DepartmentMention[]): string[] {
  const unknown = new Set<string>();
  for (const role of text.matchAll(ROLE_WORD)) {
    // Walk back from the role word to the punctuation, "由" or "会同" that starts its subject.
    let start = role.index;
    while (start > 0 && !RUN_STOP.test(text[start - 1] ?? "")) start--;
    let run = text.slice(start, role.index);
    const lead = /^.*(?:由|会同|请)/.exec(run);
    if (lead) {
      start += lead[0].length;
      run = run.slice(lead[0].length);
    }
    let offset = start;
    for (const part of run.split(/[、和及]/)) {
      const partStart = text.indexOf(part, offset);
      offset = partStart + part.length;
      if (part.length < 2 || !DEPARTMENT_SUFFIX.test(part) || NOT_A_DEPARTMENT.test(part)) continue;
      const covered = mentions.some((m) => m.start < partStart + part.length && m.end > partStart);
      if (!covered) unknown.add(part);
    }
  }
  return [...unknown];
}
