import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * The receiving end of SQS's wire protocol, on loopback, for the producer adapter: the real `@aws-sdk/client-sqs`
 * sends `SendMessage` over HTTP (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.SendMessage`) and this records what arrived.
 *
 * Why a hand-written stand-in: no SQS-compatible server installs from npm or Debian (ElasticMQ is a JVM jar
 * downloaded from its project, LocalStack and moto need Docker or PyPI), and only the producer needs one: the
 * consumer side is Lambda's event source, which the worker tests drive with real SQS event shapes instead.
 * It answers as SQS does, including the MD5 of the body that the SDK checks.
 */
export interface SentMessage {
  messageId: string;
  queueUrl: string;
  body: string;
  delaySeconds: number | undefined;
  target: string;
}

export interface SqsWire {
  endpoint: string;
  /** A queue URL on this server. */
  queueUrl(name?: string): string;
  sent: SentMessage[];
  /** Answer the next `count` requests with an SQS error (throttling, say). */
  failNext(count: number, code?: string, status?: number): void;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startSqsWire(): Promise<SqsWire> {
  const sent: SentMessage[] = [];
  let failures: { count: number; code: string; status: number } = { count: 0, code: '', status: 500 };
  const server: Server = createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const raw = await readBody(req);
    if (failures.count > 0) {
      failures.count--;
      res.writeHead(failures.status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: `com.amazonaws.sqs#${failures.code}`, message: 'injected failure' }));
      return;
    }
    if (target !== 'AmazonSQS.SendMessage') {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#UnsupportedOperation', message: target }));
      return;
    }
    const input = JSON.parse(raw) as { QueueUrl: string; MessageBody: string; DelaySeconds?: number };
    const messageId = randomUUID();
    sent.push({
      messageId,
      queueUrl: input.QueueUrl,
      body: input.MessageBody,
      delaySeconds: input.DelaySeconds,
      target,
    });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(
      JSON.stringify({
        MessageId: messageId,
        MD5OfMessageBody: createHash('md5').update(input.MessageBody, 'utf8').digest('hex'),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    queueUrl: (name = 'vetline-jobs') => `${endpoint}/000000000000/${name}`,
    sent,
    failNext: (count, code = 'RequestThrottled', status = 400) => {
      failures = { count, code, status };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
