// Where notice e-mails go: one message at a time, resolved once the server accepted it.
// The SMTP adapter (src/adapters/smtp/) sends through nodemailer.
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Extra headers (the notice id, for deduplication and replies). */
  headers: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
