/**
 * The API function. Module scope runs once per execution environment: settings from the links, clients, the
 * rubric; each request then reuses them. No extractor here: uploads are typed, stored and queued, and the worker
 * extracts (this keeps pdf.js and mammoth out of this bundle; see `npm run bench`).
 */
import { Resource } from 'sst/resource';
import { createApiHandler } from '../src/aws/api-handler';
import { createLambdaServices } from '../src/aws/lambda-services';
import { noDrafter } from '../src/aws/no-drafter';
import { observability } from '../src/aws/observability';
import { lambdaConfig } from '../src/aws/resources';

const config = lambdaConfig(process.env, Resource);
const { powertools, logger } = observability(config, 'api');
const { services } = await createLambdaServices(config, { logger, extract: null, drafter: noDrafter });

export const handler = createApiHandler(services, powertools);
