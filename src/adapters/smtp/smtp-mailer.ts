// Notice e-mails over SMTP through nodemailer (pooled connections; STARTTLS when the server
// offers it, TLS from the start for smtps://). A message is sent when the server accepted it;
// a refusal or an unreachable server throws, and the dispatcher retries on its schedule.
import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from '../../ports/mailer.ts';

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  /** `url`: smtp://[user:password@]host[:port] or smtps://... */
  constructor(url: string, private readonly from: string, o: { timeoutMs?: number } = {}) {
    const u = new URL(url);
    const secure = u.protocol === 'smtps:';
    const t = o.timeoutMs ?? 10_000;
    this.transport = createTransport({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      pool: true,
      ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
      connectionTimeout: t,
      greetingTimeout: t,
      socketTimeout: t,
    });
  }

  async send(m: MailMessage): Promise<void> {
    const info = await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text, headers: m.headers });
    const rejected = (info.rejected ?? []) as (string | { address: string })[];
    if (rejected.length > 0) throw new Error(`the SMTP server refused ${rejected.map((r) => (typeof r === 'string' ? r : r.address)).join(', ')}`);
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
