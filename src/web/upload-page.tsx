import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { UploadForm } from '../api/schemas';
import type { WebSession } from '../auth/session-store';
import { csrfProtection, requireWebRole, sessionAuth, type WebEnv } from '../auth/web-auth';
import { AppError, isAppError } from '../core/app-error';
import type { Services } from '../core/services';
import { type CurrentRubric, listRubrics } from '../rubric/current-rubric';
import { resumeRubricFor } from '../rubric/rubric-choice';
import { submitUploads } from '../takehome/take-home-intake';
import { CsrfField, Layout, Notice, sendPage } from './layout';

interface UploadValues {
  candidateName: string;
  candidateEmail: string;
  externalId: string;
  position: string;
  rubricId: string;
}
const empty: UploadValues = {
  candidateName: '',
  candidateEmail: '',
  externalId: '',
  position: '',
  rubricId: '',
};

/** The resume rubrics to choose from, and the one preselected: the organisation's, else the deployment's. */
async function rubricChoice(services: Services, orgId: string) {
  const [rubrics, preselected] = await Promise.all([listRubrics('resume'), resumeRubricFor(services, orgId)]);
  return { rubrics, preselected };
}

function RubricField(props: { rubrics: CurrentRubric[]; selected: string; invalid: boolean }) {
  return (
    <div class={`field ${props.invalid ? 'invalid' : ''}`}>
      <label for="rubricId">Rubric</label>
      <select id="rubricId" name="rubricId" aria-describedby="rubricId-hint">
        {props.rubrics.map((r) => (
          <option value={r.id} selected={r.id === props.selected}>
            {r.title} (version {r.version})
          </option>
        ))}
      </select>
      <p class="hint" id="rubricId-hint">
        What the resume is judged against: choose the one for the role. Your organisation’s default is
        selected; a take-home is always reviewed against the take-home rubric.
      </p>
    </div>
  );
}

function UploadPage(props: {
  session: WebSession;
  values: UploadValues;
  rubrics: CurrentRubric[];
  error?: { message: string; field?: string; page?: string };
  maxBytes: number;
  maxTakeHomeBytes: number;
}) {
  const { values, error } = props;
  const text = (id: keyof UploadValues, label: string, type = 'text', hint?: string) => (
    <div class={`field ${error?.field === id ? 'invalid' : ''}`}>
      <label for={id}>{label}</label>
      <input
        type={type}
        id={id}
        name={id}
        value={values[id]}
        autocomplete="off"
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
  return (
    <Layout title="Upload a resume" session={props.session} section="upload">
      <h1>Upload a resume</h1>
      <div class="card">
        <div id="upload-error" class="notice error" role="alert" tabindex={-1} hidden={!error}>
          {error?.message}
          {error?.page ? (
            <>
              {' '}
              The file was kept: <a href={error.page}>see the screening</a>.
            </>
          ) : null}
        </div>
        <form id="upload-form" method="post" action="/upload" enctype="multipart/form-data">
          <CsrfField session={props.session} />
          <div class={`field ${error?.field === 'resume' ? 'invalid' : ''}`}>
            <label for="resume">Resume</label>
            <input
              type="file"
              id="resume"
              name="resume"
              accept=".pdf,.docx,.txt,.md,application/pdf,text/plain,text/markdown"
              aria-describedby="resume-hint"
            />
            <p class="hint" id="resume-hint">
              PDF, DOCX, plain text or Markdown, up to {Math.floor(props.maxBytes / 1024 / 1024)} MB. The type
              is read from the file itself.
            </p>
          </div>
          <div class={`field ${error?.field === 'takeHome' ? 'invalid' : ''}`}>
            <label for="takeHome">Take-home (optional)</label>
            <input
              type="file"
              id="takeHome"
              name="takeHome"
              accept=".zip,.tar.gz,.tgz,application/zip,application/gzip"
              aria-describedby="takeHome-hint"
            />
            <p class="hint" id="takeHome-hint">
              The candidate’s project as a zip or tar.gz, up to{' '}
              {Math.floor(props.maxTakeHomeBytes / 1024 / 1024)} MB: reviewed against the take-home rubric as
              a screening of its own. A resume, a take-home or both.
            </p>
          </div>
          {text(
            'candidateName',
            'Candidate name',
            'text',
            'Optional, but it makes blind screening more reliable: this name is removed wherever the resume uses it. ' +
              'Without it, the name is read from the resume, and a resume whose name cannot be found is not screened.',
          )}
          {text(
            'candidateEmail',
            'Candidate e-mail',
            'email',
            'Optional; removed from the resume the same way.',
          )}
          {text('position', 'Position', 'text', 'For example “Senior Python engineer, data platform”.')}
          <RubricField
            rubrics={props.rubrics}
            selected={values.rubricId}
            invalid={error?.field === 'rubricId'}
          />
          {text(
            'externalId',
            'ATS id',
            'text',
            'The candidate’s id in your applicant tracking system, if any.',
          )}
          <progress id="upload-progress" max={100} value={0} hidden aria-label="Upload progress" />
          <p id="upload-progress-text" class="small muted" aria-live="polite" />
          <button type="submit">Upload and screen</button>
        </form>
      </div>
      <Notice>
        The draft is written in the background; the screening page follows its status. No candidate is
        advanced or rejected by the machine: a reviewer decides.
      </Notice>
    </Layout>
  );
}

const wantsJson = (accept: string | undefined) => (accept ?? '').includes('application/json');

/** The same limit as the API: 413 before the body is read when it says it is too big, and while it streams in. */
const uploadLimit = () =>
  createMiddleware<WebEnv>(async function uploadLimit(c, next) {
    const { config } = c.var.services;
    const max = config.maxUploadBytes + config.takeHome.maxUploadBytes + 64 * 1024;
    await bodyLimit({
      maxSize: max,
      onError: () => {
        throw new AppError('payload_too_large', 'file_too_large', 'The file is over the size limit.');
      },
    })(c, next);
  });

export const uploadPages = new Hono<WebEnv>();

uploadPages.get('/upload', sessionAuth(), requireWebRole('recruiter'), async (c) => {
  const { rubrics, preselected } = await rubricChoice(c.var.services, c.var.principal.orgId);
  return sendPage(
    c,
    <UploadPage
      session={c.var.session}
      values={{ ...empty, rubricId: preselected }}
      rubrics={rubrics}
      maxBytes={c.var.services.config.maxUploadBytes}
      maxTakeHomeBytes={c.var.services.config.takeHome.maxUploadBytes}
    />,
  );
});

uploadPages.post(
  '/upload',
  sessionAuth(),
  uploadLimit(),
  csrfProtection(),
  requireWebRole('recruiter'),
  async (c) => {
    const { services, principal, session } = c.var;
    const body = await c.req.parseBody();
    const values: UploadValues = {
      candidateName: typeof body.candidateName === 'string' ? body.candidateName : '',
      candidateEmail: typeof body.candidateEmail === 'string' ? body.candidateEmail : '',
      externalId: typeof body.externalId === 'string' ? body.externalId : '',
      position: typeof body.position === 'string' ? body.position : '',
      rubricId: typeof body.rubricId === 'string' ? body.rubricId : '',
    };
    const json = wantsJson(c.req.header('accept'));
    try {
      const form = UploadForm.safeParse(body);
      if (!form.success) {
        const field = form.error.issues[0]?.path.map(String).join('.') ?? 'resume';
        throw new AppError(
          'bad_request',
          'invalid_request',
          field === 'resume' || field === 'takeHome'
            ? 'Choose a resume, a take-home or both.'
            : `Check the ${field} field.`,
          { details: { field } },
        );
      }
      const { resume, takeHome, candidateName, candidateEmail, externalId, position, rubricId } = form.data;
      const file = async (f: File | undefined, fallback: string) =>
        f ? { bytes: new Uint8Array(await f.arrayBuffer()), filename: f.name || fallback } : undefined;
      const { screening } = await submitUploads(services, principal, {
        resume: await file(resume, 'resume'),
        takeHome: await file(takeHome, 'take-home'),
        candidate: { name: candidateName, email: candidateEmail, externalId, position },
        source: 'upload',
        rubricId,
      });
      const page = `/screenings/${screening.id}`;
      if (json) return c.json({ id: screening.id, status: screening.status, page }, 202);
      return c.redirect(page, 303);
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
      const screeningId =
        typeof error.details?.screeningId === 'string' ? error.details.screeningId : undefined;
      const page = screeningId ? `/screenings/${screeningId}` : undefined;
      const field = typeof error.details?.field === 'string' ? error.details.field : 'resume';
      if (json) {
        return c.json(
          {
            error: {
              code: error.code,
              message: error.message,
              details: { field, ...(page ? { page } : {}) },
            },
          },
          error.status as 400,
        );
      }
      const { rubrics, preselected } = await rubricChoice(services, principal.orgId);
      return sendPage(
        c,
        <UploadPage
          session={session}
          values={{
            ...values,
            rubricId: rubrics.some((r) => r.id === values.rubricId) ? values.rubricId : preselected,
          }}
          rubrics={rubrics}
          error={{ message: error.message, field, ...(page ? { page } : {}) }}
          maxBytes={services.config.maxUploadBytes}
          maxTakeHomeBytes={services.config.takeHome.maxUploadBytes}
        />,
        error.status,
      );
    }
  },
);
