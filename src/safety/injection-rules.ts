/**
 * What instruction-like content looks like, as patterns over normalised text (lower case, whitespace collapsed,
 * hyphens and zero-width characters gone, Cyrillic and Greek look-alikes folded to Latin; see normalize.ts).
 * Each rule is aimed at text that addresses a reader who follows instructions, not at a resume that talks about
 * prompts or LLMs: "built prompt-injection defences for our LLM gateway" must stay clean (see the corpus test).
 */
export interface InjectionRule {
  id: string;
  /** What the reviewer reads in the flag. */
  label: string;
  pattern: RegExp;
  /**
   * The pattern used on code (a take-home's comments, strings and docs): narrower where code talks about prompts,
   * models and rules as its subject ("build the message for the LLM", `"role": "system"`, "replace the existing
   * rules"). `null`: the rule does not apply to code; absent: `pattern` is used.
   */
  code?: RegExp | null;
}

/** Joins a pattern written over several lines: the line breaks and their indentation go, the spaces stay. */
const w = (source: string): string => source.replace(/\s*\n\s*/g, '');

// Who the text addresses when it talks to the machine rather than about it.
const MACHINE =
  w(String.raw`(?:ai|a\.i\.|llms?|large language models?|language models?|chatgpt|gpt[\w.]*|claude|gemini|copilot|
  (?:ai|automated|llm|screening|resume|recruiting|hiring)(?: screening)? (?:reviewers?|screeners?|recruiters?|assistants?|
  models?|agents?|bots?|parsers?|systems?|tools?|evaluators?)|ats(?: system)?|applicant tracking system)`);

// On code, only agents that review people: code talks about "the AI model" and "LLM tools" as its subject.
const MACHINE_AGENT =
  w(`(?:(?:ai|automated|llm|screening|resume|recruiting|hiring)(?: screening)? (?:reviewers?|
  screeners?|recruiters?|assistants?|agents?|bots?|evaluators?|graders?)|ats(?: system)?|applicant tracking system)`);

const DETERMINERS =
  '(?:(?:all|any|the|every|each|of|your|my|these|those|its|his|her|their|above|of the) ){0,3}';
const EARLIER =
  '(?:previous|prior|preceding|above|earlier|former|foregoing|original|initial|existing|system|other)';
const DIRECTIVES =
  '(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|context|messages?|constraints|criteria|rubrics?|commands?|programming|orders|policies|policy)';
/** On code, only what addresses a reader's own instructions: code has rules, contexts and messages of its own. */
const CODE_DIRECTIVES =
  '(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|rubrics?|criteria)';
const CANDIDATE =
  '(?:this|the|that|current) (?:candidate|applicant|resume|cv|person|profile|engineer|individual)';
const HIGH =
  '(?:level (?:4|four)|4 ?/ ?4|5 ?/ ?5|10 ?/ ?10|100 ?%|an? expert|expert(?: level)?|the highest|highest|maximum|max(?:imum)? (?:score|level)|top (?:score|marks|rating|level)|perfect|exceptional|outstanding|(?:a )?strong(?:est)? (?:hire|yes|match|fit)|must hire|advance|hire|staff|principal)';

export const INJECTION_RULES: readonly InjectionRule[] = [
  {
    id: 'override',
    label: 'tells the reader to ignore its instructions',
    pattern: new RegExp(
      `\\b(?:ignore|disregard|forget|neglect|abandon)\\b ${DETERMINERS}(?:${EARLIER} )?${DIRECTIVES}\\b|\\b(?:override|bypass|overwrite|replace|reset)\\b ${DETERMINERS}${EARLIER} ${DIRECTIVES}\\b`,
    ),
    code: new RegExp(
      `\\b(?:ignore|disregard|forget|neglect|abandon)\\b ${DETERMINERS}(?:${EARLIER} )?${CODE_DIRECTIVES}\\b|\\b(?:override|bypass|overwrite|replace|reset)\\b ${DETERMINERS}${EARLIER} (?:instructions?|prompts?|rubrics?|guidelines)\\b`,
    ),
  },
  {
    id: 'new-instructions',
    label: 'announces new instructions',
    pattern:
      /\b(?:new|updated|revised|real|actual|true|hidden|secret|additional|important|special|priority) (?:system )?(?:instructions?|prompts?|directives?|tasks?|rules) ?(?::|follow\b|below\b|for (?:the|you|any) (?:ai|model|assistant|reviewer))/,
    // Code logs "new tasks: %d" and "new instructions: {n}": on code the colon must be followed by words.
    code: /\b(?:new|updated|revised|real|actual|true|hidden|secret|additional|important|special|priority) (?:system )?(?:instructions?|prompts?|directives?) ?(?:: ?(?=[a-z]{2})|follow\b|below\b|for (?:the|you|any) (?:ai|model|assistant|reviewer))/,
  },
  {
    id: 'role-change',
    label: 'tries to change who the reader is',
    pattern:
      /\byou are (?:now|no longer|actually|henceforth)\b|\bfrom now on,? (?:you|the (?:assistant|model|ai))\b|\bpretend (?:to be|you are)\b|\benter (?:developer|dan|god|admin|debug) mode\b|\bjailbreak\b/,
  },
  {
    id: 'addresses-machine',
    label: 'addresses the AI reading the material',
    pattern: new RegExp(
      `\\b(?:note|notes|message|instructions?|attention|memo|reminder|hey|hello|hi|dear|psa|important)(?: for| to)?(?: the| any| all| every)? ${MACHINE}\\b|\\b(?:to|for) (?:any|every|all|the) ${MACHINE} (?:reading|reviewing|processing|parsing|screening|evaluating|assessing)\\b|\\bif you are (?:an? |the )?${MACHINE}\\b|\\b${MACHINE} (?:reading|reviewing|processing|parsing|screening|evaluating|assessing) this\\b`,
    ),
    code: new RegExp(
      `\\b(?:note|notes|message|instructions?|attention|memo|reminder|hey|hello|hi|dear|psa|important)(?: for| to)?(?: the| any| all| every)? ${MACHINE_AGENT}\\b|\\b(?:to|for) (?:any|every|all|the) (?:${MACHINE_AGENT}|ai|llms?|language models?) (?:reading|reviewing|screening|evaluating|assessing|grading)\\b|\\bif you are (?:an? |the )?${MACHINE}\\b|\\b${MACHINE} (?:reading|reviewing|screening|evaluating|assessing|grading) this\\b`,
    ),
  },
  {
    id: 'score-demand',
    label: 'demands a rating or a recommendation',
    pattern: new RegExp(
      `\\b(?:rate|score|grade|rank|assess|evaluate|mark|classify|label|consider|recommend|list|treat)s? ${CANDIDATE}\\b.{0,60}?\\b${HIGH}\\b|\\b(?:give|assign|award|grant)s? (?:${CANDIDATE}|them|him|her|me) (?:a |an |the )?${HIGH}\\b|\\b(?:all|every|each) (?:competenc(?:y|ies)|skills?|categories|levels?|scores?)\\b.{0,25}\\b(?:level (?:4|four)|to 4|at 4|as 4|expert|maximum|the highest)\\b|\\b${CANDIDATE} (?:must|should|shall|will|is to) be (?:rated|scored|marked|graded|recommended|advanced|shortlisted|hired|approved|moved forward)\\b|\\b${CANDIDATE} (?:is|has been) (?:pre ?approved|already (?:approved|vetted|verified)|verified as|certified as)\\b|"?recommendation"? ?: ?"?advance\\b|\\b(?:recommend|mark|set) (?:the )?(?:recommendation|decision|outcome) (?:to|as) "?(?:advance|hire)\\b`,
    ),
    // Code clamps "all scores to the maximum": on code, "every competency" (the rubric's word) may take a bare 4.
    code: new RegExp(
      `\\b(?:rate|score|grade|rank|assess|evaluate|mark|classify|label|consider|recommend|treat)s? ${CANDIDATE}\\b.{0,60}?\\b${HIGH}\\b|\\b(?:give|assign|award|grant)s? (?:${CANDIDATE}|them|him|her|me) (?:a |an |the )?${HIGH}\\b|\\b(?:all|every|each) competenc(?:y|ies)\\b.{0,25}?(?:\\blevel (?:4|four)|\\b(?:to|at|as) 4|\\b4|\\bexpert|\\bmaximum|\\bthe highest)\\b|\\b(?:all|every|each) (?:skills?|categories)\\b.{0,25}\\b(?:level (?:4|four)|expert|the highest)\\b|\\b${CANDIDATE} (?:must|should|shall|will|is to) be (?:rated|scored|marked|graded|recommended|advanced|shortlisted|hired|approved|moved forward)\\b|\\b${CANDIDATE} (?:is|has been) (?:pre ?approved|already (?:approved|vetted|verified)|verified as|certified as)\\b|\\b(?:recommend|mark|set) (?:the )?(?:recommendation|decision|outcome) (?:to|as) "?(?:advance|hire)\\b`,
    ),
  },
  {
    id: 'exfiltration',
    label: 'asks the reader to reveal its instructions',
    pattern:
      /\b(?:reveal|print|show|output|repeat|display|leak|disclose|echo|recite|tell me) (?:your|the|its) (?:full |exact |entire )?(?:system |initial |original |hidden |secret )?(?:prompt|instructions|rules|configuration|guidelines)\b/,
    // Code prints "the prompt" and shows "the configuration" for itself: on code, only the reader's own.
    code: /\b(?:reveal|print|show|output|repeat|display|leak|disclose|echo|recite|tell me) (?:your|its) (?:full |exact |entire )?(?:system |initial |original |hidden |secret )?(?:prompt|instructions|rules|configuration|guidelines)\b/,
  },
  {
    id: 'concealment',
    label: 'asks the reader to hide something from the reviewer',
    pattern:
      /\b(?:do not|don't|never|must not) (?:flag|mention|report|note|reveal|disclose|tell|inform|alert|warn)(?: (?:this|it|that|anyone|about this))?(?: (?:to|about))?(?: the)? (?:reviewers?|recruiters?|humans?|hiring managers?|users?|team|anyone|this (?:text|note|message|instruction))?\b(?=.{0,40}\b(?:instruction|note|message|text|this|reviewer|recruiter|human|injection|hidden)\b)|\b(?:respond|reply|answer|output) only with\b/,
    // Code's own prompts say "respond only with JSON", and its comments "don't report this error": on code, only
    // hiding something from the people who review.
    code: /\b(?:do not|don't|never|must not) (?:flag|mention|report|note|reveal|disclose|tell|inform|alert|warn)(?: (?:this|it|that|about this))?(?: (?:to|about))?(?: the)? (?:reviewers?|recruiters?|hiring managers?|humans?)\b/,
  },
  {
    id: 'fake-turn',
    label: 'imitates a system, assistant or tool message',
    pattern:
      /<\|? ?\/?(?:im_start|im_end|im_sep|system|assistant|user|developer|tool|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\b ?\|?>|\[\/?(?:inst|sys|system)\]|<<\/?sys>>|<\/?(?:system|assistant|developer|tool|tool_call|tool_result|function_call|function_results?|instructions?)>|"role" ?: ?"(?:system|assistant|developer|tool|function)"|#{2,} ?(?:system|assistant|instruction|instructions|response)\b ?(?:message|prompt)?:?|\b(?:begin|start|end) (?:of )?(?:system|assistant|developer) (?:message|prompt|instructions?)\b/,
    // Code that calls an LLM builds `{"role": "system"}` messages, and READMEs have "## Instructions" headings.
    code: /<\|? ?\/?(?:im_start|im_end|im_sep|system|assistant|user|developer|tool|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\b ?\|?>|\[\/?(?:inst|sys|system)\]|<<\/?sys>>|<\/?(?:system|assistant|developer|tool|tool_call|tool_result|function_call|function_results?|instructions?)>|#{2,} ?(?:system|assistant) ?(?:message|prompt)? ?:|\b(?:begin|start|end) (?:of )?(?:system|assistant|developer) (?:message|prompt|instructions?)\b/,
  },
  {
    id: 'delimiter',
    label: 'tries to close or reopen the candidate material block',
    pattern:
      /(?:<|&lt;) ?\/? ?(?:candidate_material|candidate_?data|material|untrusted_?(?:input|data|content)|document|resume|cv|context|input|user_input|data)\b ?(?:>|&gt;)|\[\/?(?:end|begin) (?:of )?(?:candidate |the )?(?:material|resume|cv|document|input|data)\]|\b(?:end|close) of (?:the )?(?:candidate(?:'s)? )?(?:material|resume text|document|input|untrusted (?:data|input))\b ?(?:\.|:|\]|-|$)/,
    // Code wraps its own prompts in <document>, <context> and <input> tags; on code, our delimiters, the file block
    // marker included, are what count.
    code: /(?:<|&lt;) ?\/? ?(?:candidate_material|candidate_?data|material|untrusted_?(?:input|data|content)|resume|cv|file)\b ?(?:>|&gt;)|\[\/?(?:end|begin) (?:of )?(?:candidate |the )?(?:material|resume|cv)\]|\b(?:end|close) of (?:the )?(?:candidate(?:'s)? )?(?:material|resume text|untrusted (?:data|input))\b ?(?:\.|:|\]|-|$)/,
  },
];

/**
 * Rules for the start of a line, read line by line: a chat transcript's speaker labels. `User:` and `Tools:` are
 * left alone (a skills section may well have them); `System:` and `Tool:` count only when followed by something a
 * transcript would say. On code (see injection.ts) a label counts only when capitalised and followed by at least two
 * words: `model: str`, `model: gpt-4o` and a docstring's `model: the model to call` are not speakers.
 */
export const LINE_RULES: readonly InjectionRule[] = [
  {
    id: 'fake-turn',
    label: 'imitates a system, assistant or tool message',
    pattern:
      /^(?:[[(<*#>]+ ?)?(?:assistant|developer|human|ai assistant|chatgpt|gpt|model|system (?:message|prompt|note|override|instruction)s?)(?: (?:message|response|reply|turn))?[\])>*]* ?:/,
  },
  {
    id: 'fake-turn',
    label: 'imitates a system, assistant or tool message',
    pattern:
      /^(?:[[(<*#>]+ ?)?(?:system|tool|function)(?: (?:output|result|call|response))?[\])>*]* ?: ?(?:you|the|ignore|new|all|any|rate|score|assess|grant|override|set|\{|")/,
  },
];
