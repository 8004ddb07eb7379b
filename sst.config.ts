/// <reference path="./.sst/platform/config.d.ts" />

/**
 * Vetline on AWS. The resources are declared by concern in `infra/`; this file only names the app and wires them.
 * `production` keeps its data when removed, protects the table from deletion and turns on point-in-time recovery.
 */
export default $config({
  app(input) {
    const production = input?.stage === 'production';
    return {
      name: 'vetline',
      home: 'aws',
      removal: production ? 'retain' : 'remove',
      protect: production,
    };
  },
  async run() {
    const { stackSettings } = await import('./infra/settings');
    const { storage } = await import('./infra/storage');
    const { jobQueue } = await import('./infra/queue');
    const { secrets } = await import('./infra/secrets');
    const { api, worker, ageing, sweep } = await import('./infra/functions');

    const settings = stackSettings();
    const { table, bucket } = storage(settings);
    const { queue, deadLetters } = jobQueue(settings);
    const { openAiApiKey } = secrets();
    const input = { settings, table, bucket, queue, openAiApiKey };
    const gateway = api(input);
    worker(input);
    ageing(input);
    sweep(input);

    return {
      api: gateway.url,
      docs: $interpolate`${gateway.url}/docs`,
      table: table.name,
      uploads: bucket.name,
      deadLetterQueue: deadLetters.url,
    };
  },
});
