/**
 * The vocabulary the name finder (find-name.ts) reads a resume's header with: words that make a capitalised phrase
 * something other than a person's name, the particles names carry, and the headings that end the contact header.
 * Lower case, diacritics folded. Common first names and surnames are kept out on purpose (Grace, Park, Will, June,
 * Young, King...): a word here can never be part of a name found without the upload's help.
 */
const words = (list: string): Set<string> => new Set(list.trim().split(/\s+/u));

/** Words of a job title, a section, a field label, a skill, an organisation or a place: never a name. */
export const NOT_NAME_WORDS = words(`
  resume curriculum vitae cv biodata portfolio cover letter
  senior snr sr junior jr mid level staff principal lead leading chief head distinguished associate assistant
  engineer engineers engineering developer developers development programmer architect architecture scientist
  analyst analytics consultant director manager management officer specialist administrator admin coordinator
  founder cofounder co-founder owner intern internship trainee apprentice graduate student researcher research
  professor lecturer teacher instructor freelance freelancer contractor contract independent remote hybrid onsite
  cto ceo cio cfo coo vp svp evp president executive partner member team teams tech technical technology
  technologies software hardware backend back-end frontend front-end fullstack full-stack full stack web mobile
  cloud platform platforms infrastructure systems system devops devsecops mlops dataops sre site reliability
  security data database databases machine learning deep ml ai nlp llm product products qa quality test testing
  automation operations ops solutions solution integration embedded network networks application applications
  services service
  summary profile about contact contacts information info details personal experience experiences work
  employment history professional career objective objectives education academic skills skill technical core
  competencies competency expertise projects project publications certifications certificates awards honors
  honours achievements accomplishments languages interests hobbies activities volunteer volunteering references
  overview highlights qualifications key selected relevant additional other training courses coursework
  python django flask fastapi celery kafka rabbitmq redis postgresql postgres mysql sqlite mongodb aws gcp azure
  kubernetes docker terraform ansible linux unix sql nosql api apis rest graphql grpc http react typescript
  javascript java golang rust scala kotlin ruby rails php pandas numpy spark airflow dbt snowflake
  pytorch tensorflow github gitlab bitbucket linkedin twitter email e-mail mail phone mobile tel telephone cell
  website homepage blog address location name names candidate applicant
  inc ltd llc plc corp corporation company co gmbh ag bv labs lab group holdings ventures studio studios agency
  university college school institute academy bootcamp department faculty
  street road avenue boulevard lane drive city state states county province district region republic kingdom
  united federation emirates new north south east west central greater metro area bay san los las santa
  present current today open available relocation relocate visa citizen
  hello dear thank thanks sincerely regards page
  bachelor bachelors master masters doctor doctorate phd msc bsc mba bs beng meng diploma degree
  tools tooling stack environment
  the and or of for in at by with from my our your
`);

/**
 * Words above that are also family or given names ("Adam West", "Ellen Page", "Diane Lane", "Ruby Chen"): they count
 * as name words on the resume's top line only, where a name is expected; elsewhere in the header they are a place,
 * a skill or a title. Two of them alone ("North West") are still no name.
 */
export const ALSO_NAMES = words(`
  page lane west north south east ruby rust key lead head drive street bay stack
`);

/** Small words that end a name only in lower case: "An", "To" and "On" are also family names. */
export const LOWER_CASE_CONNECTORS = words('a an on to');

/** Particles written in lower case between the words of a name (Maria de la Cruz, Ludwig van Beethoven, Ali bin Omar). */
export const NAME_PARTICLES = words(`
  van von vom zu zur der den ter ten te de del della delle dei degli di da das dos do du la le les lo los las
  bin binti bint ibn ben bat al el abu y e af av mac
`);

/** Honorifics and post-nominals around a name: dropped, never part of it. */
export const NAME_AFFIXES = words(`
  mr mrs ms miss mx dr prof sir dame jr sr ii iii iv phd mba msc bsc cpa esq
`);

/** Headings that end the contact header: the name is above the first of them. */
export const SECTION_HEADINGS = words(`
  summary profile about objective objectives experience experiences employment education skills competencies
  expertise projects publications certifications awards honors honours achievements accomplishments languages
  interests hobbies volunteering references overview highlights qualifications training coursework
`);
