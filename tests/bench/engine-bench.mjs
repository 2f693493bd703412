/* engine-bench.mjs
 *
 * Copyright 2026 The Peel authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times one plain (non-streamed) generateContent request and the PNG written from its reply, at
 * 512, 1K, 2K and 4K, for three clients of the same demo server (its own process):
 *   peel   peel-cli generate --base-url URL … --output FILE
 *   sdk    @google/genai's models.generateContent on Node, writing inlineData to FILE
 *   floor  curl of the same body | cut out the base64 | base64 -d > FILE
 * Wall time is taken around each whole process; peak memory is its maximum resident set
 * (/usr/bin/time %M); CPU is the client's own user + system time. The demo server paints every
 * image anew (about a second at 4K), which all three wait for alike; --replay records the demo
 * server's reply once per size and serves those bytes from a process of their own instead, so
 * that the figures are the clients' alone. Run through ./engine-bench, which installs and builds
 * what this needs.
 *
 *   node engine-bench.mjs [--runs N] [--sizes 512,1K,2K,4K] [--aspect 16:9] [--replay] PEEL_CLI
 *   node engine-bench.mjs sdk URL PROMPT ASPECT SIZE OUT     (the SDK client alone)
 *   node engine-bench.mjs replay FILE                        (the replay server alone)
 */

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MODEL = 'gemini-3.1-flash-image-preview';
const PROMPT = 'a lighthouse at dusk';

/* The SDK client: nothing here but what a script using the SDK would do. */
async function sdkClient ([url, prompt, aspectRatio, imageSize, out]) {
  const { GoogleGenAI } = await import('@google/genai');
  const { writeFile } = await import('node:fs/promises');
  const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY, httpOptions: { baseUrl: url } });
  const response = await ai.models.generateContent({
    model: MODEL,
    contents: prompt,
    config: {
      responseModalities: ['TEXT', 'IMAGE'],
      imageConfig: { aspectRatio, imageSize },
      thinkingConfig: { includeThoughts: false },
    },
  });
  const part = response.candidates?.[0]?.content?.parts?.find((p) => p.inlineData?.data);
  if (!part) {
    console.error('sdk: the reply held no image');
    process.exit(1);
  }
  await writeFile(out, Buffer.from(part.inlineData.data, 'base64'));
}

/* Answers every request, once its body is read, with the recorded reply. */
function replayServer ([file]) {
  const reply = readFileSync(file);
  const server = createServer((request, response) => {
    request.on('data', () => {});
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/json; charset=UTF-8',
                                'Content-Length': reply.length });
      response.end(reply);
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
  process.on('SIGTERM', () => process.exit(0));
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/* Width and height from a PNG's IHDR, or null when the bytes are not a PNG. */
function pngSize (bytes) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) ||
      bytes.toString('latin1', 12, 16) !== 'IHDR')
    return null;
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

function startServer (argv) {
  return new Promise((resolve, reject) => {
    const server = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: server.stdout });
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`demo-server exited (${code})`)));
    lines.once('line', (line) => resolve({ server, url: line.trim() }));
  });
}

/* Runs argv under /usr/bin/time; returns seconds (wall, measured here), the CPU seconds of the
 * client's own processes (user + system: what it costs apart from waiting for the server) and
 * peak KiB. */
function measure (argv, env, dir) {
  const timeFile = join(dir, 'time');
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, ...argv],
                           { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0)
    throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  const [user, system, kib] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3)
    .map(Number);
  return { seconds, cpu: user + system, kib };
}

function shellQuote (s) {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

async function bench (args) {
  let runs = 7;
  let sizes = ['512', '1K', '2K', '4K'];
  let aspect = '16:9';
  let replay = false;
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i]);
    else if (args[i] === '--sizes') sizes = args[++i].split(',');
    else if (args[i] === '--aspect') aspect = args[++i];
    else if (args[i] === '--replay') replay = true;
    else rest.push(args[i]);
  }
  const cli = rest[0];
  if (!cli || !existsSync(cli) || !(runs >= 1)) {
    console.error('usage: node engine-bench.mjs [--runs N] [--sizes 512,1K,2K,4K] [--aspect W:H] PEEL_CLI');
    process.exit(2);
  }

  const dir = mkdtempSync(join(tmpdir(), 'peel-engine-bench-'));
  const { server, url: demoUrl } = await startServer([cli, 'demo-server', '--port', '0']);
  const env = { ...process.env, GEMINI_API_KEY: 'bench', LC_ALL: 'C' };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const results = {};
  let failed = false;

  const self = new URL(import.meta.url).pathname;
  let replayer = null;

  console.log(`engine-bench: ${replay ? 'replies recorded from ' : ''}the demo server at ${demoUrl}, ` +
              `${MODEL}, ${aspect}, ${runs} runs each (+1 warm-up), medians`);
  console.log(`node ${process.version}, @google/genai ${JSON.parse(readFileSync(
    new URL('./node_modules/@google/genai/package.json', import.meta.url))).version}`);
  console.log('');
  console.log('size  client  wall s (min–max)         cpu s  peak MiB  image');

  try {
    for (const size of sizes) {
      const body = JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
        generationConfig: {
          responseModalities: ['TEXT', 'IMAGE'],
          imageConfig: { aspectRatio: aspect, imageSize: size },
          thinkingConfig: { includeThoughts: false },
        },
      });
      const bodyFile = join(dir, `body-${size}.json`);
      writeFileSync(bodyFile, body);
      const out = (name) => join(dir, `${name}-${size}.png`);
      let url = demoUrl;
      if (replay) {
        const recorded = join(dir, `reply-${size}.json`);
        const curl = spawnSync('curl', ['-sS', '--fail', '-H', 'x-goog-api-key: bench', '-H',
                                        'Content-Type: application/json', '--data-binary',
                                        `@${bodyFile}`, '-o', recorded,
                                        `${demoUrl}/v1beta/models/${MODEL}:generateContent`]);
        if (curl.status !== 0)
          throw new Error(`recording the ${size} reply failed: ${curl.stderr}`);
        replayer?.kill('SIGTERM');
        ({ server: replayer, url } = await startServer([process.execPath, self, 'replay', recorded]));
        replayer.removeAllListeners('exit');
      }
      const endpoint = `${url}/v1beta/models/${MODEL}:generateContent`;
      /* The floor: transfer and decode, with the lightest cut that finds the base64 (tr and grep
       * on short lines; grep -o or sed on one 16 MB line costs more than base64 -d itself). */
      const floor = `curl -sS --fail -H 'x-goog-api-key: bench' -H 'Content-Type: application/json' ` +
        `--data-binary @${shellQuote(bodyFile)} ${shellQuote(endpoint)} | tr '"' '\\n' | ` +
        `grep -x -A2 data | tail -n 1 | base64 -d > ${shellQuote(out('floor'))}`;
      const clients = {
        peel: [cli, 'generate', '--base-url', url, '--prompt', PROMPT, '--aspect', aspect,
               '--size', size, '--max-attempts', '1', '--output', out('peel')],
        sdk: [process.execPath, self, 'sdk', url, PROMPT, aspect, size, out('sdk')],
        floor: ['sh', '-c', floor],
      };
      const samples = { peel: [], sdk: [], floor: [] };

      for (let run = 0; run <= runs; run++) {
        /* Interleaved, so a burst of load elsewhere falls on all three alike. */
        for (const [name, argv] of Object.entries(clients)) {
          const m = measure(argv, env, dir);
          if (run > 0)
            samples[name].push(m);
        }
      }

      const hashes = {};
      results[size] = {};
      for (const name of Object.keys(clients)) {
        const bytes = readFileSync(out(name));
        const dims = pngSize(bytes);
        const seconds = samples[name].map((m) => m.seconds);
        const r = {
          seconds: median(seconds),
          min: Math.min(...seconds),
          max: Math.max(...seconds),
          mib: median(samples[name].map((m) => m.kib)) / 1024,
          cpu: median(samples[name].map((m) => m.cpu)),
        };
        results[size][name] = r;
        hashes[name] = createHash('sha256').update(bytes).digest('hex');
        const image = dims ? `${dims[0]}×${dims[1]} PNG, ${bytes.length} bytes` : 'NOT A PNG';
        if (!dims)
          failed = true;
        console.log(`${size.padEnd(5)} ${name.padEnd(7)} ${r.seconds.toFixed(3)} ` +
                    `(${r.min.toFixed(3)}–${r.max.toFixed(3)})`.padEnd(20) +
                    `${r.cpu.toFixed(2).padStart(6)} ${r.mib.toFixed(1).padStart(8)}  ${image}`);
      }
      const same = hashes.peel === hashes.sdk && hashes.sdk === hashes.floor;
      if (!same)
        failed = true;
      const r = results[size];
      console.log(`      ${same ? 'identical bytes from all three' : 'THE THREE FILES DIFFER'}; ` +
                  `peel/floor ${(r.peel.seconds / r.floor.seconds).toFixed(2)}, ` +
                  `peel/sdk ${(r.peel.seconds / r.sdk.seconds).toFixed(2)} time, ` +
                  `${(r.peel.mib / r.sdk.mib).toFixed(2)} memory; ` +
                  `peel − floor ${((r.peel.seconds - r.floor.seconds) * 1000).toFixed(0)} ms; ` +
                  `cpu peel/floor ${(r.peel.cpu / Math.max(r.floor.cpu, 0.01)).toFixed(2)}, ` +
                  `peel/sdk ${(r.peel.cpu / Math.max(r.sdk.cpu, 0.01)).toFixed(2)}`);
    }
  } finally {
    server.removeAllListeners('exit');
    server.kill('SIGTERM');
    replayer?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }

  const last = results['4K'] ?? results[sizes[sizes.length - 1]];
  console.log('');
  console.log(`peel/floor=${(last.peel.seconds / last.floor.seconds).toFixed(2)} ` +
              `peel/sdk=${(last.peel.seconds / last.sdk.seconds).toFixed(2)} ` +
              `peel/sdk-rss=${(last.peel.mib / last.sdk.mib).toFixed(2)}`);
  if (failed)
    process.exitCode = 1;
}

const argv = process.argv.slice(2);
if (argv[0] === 'sdk')
  await sdkClient(argv.slice(1));
else if (argv[0] === 'replay')
  replayServer(argv.slice(1));
else
  await bench(argv);
