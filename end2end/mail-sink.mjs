// The browser tests' mailbox: a real SMTP server (npm smtp-server) on loopback that writes each
// message it accepts to MAIL_DIR as <n>.eml, for the tests to read as a patient's mail.
//   MAIL_PORT=2525 MAIL_DIR=target/e2e-mail node end2end/mail-sink.mjs
import { SMTPServer } from "smtp-server";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.MAIL_DIR ?? "target/e2e-mail";
const port = Number(process.env.MAIL_PORT ?? 2525);
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", () => {
      count += 1;
      const to = session.envelope.rcptTo.map((r) => r.address).join(",");
      writeFileSync(join(dir, `${String(count).padStart(5, "0")}.eml`), Buffer.concat(chunks));
      writeFileSync(join(dir, `${String(count).padStart(5, "0")}.to`), to);
      callback();
    });
  },
});
server.listen(port, "127.0.0.1", () => console.log(`mail sink on 127.0.0.1:${port}, writing to ${dir}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
