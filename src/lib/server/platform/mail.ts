import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nodemailer from 'nodemailer';
import { databasePath } from '../db/client';

export interface Mail {
	to: string;
	subject: string;
	text: string;
}

export function outboxDir(): string {
	return join(dirname(databasePath()), 'outbox');
}

/**
 * Sends through SMTP when SMTP_HOST is set; otherwise writes an .eml file into data/outbox/ so a deployment
 * without a mail server still works (an official can forward it by hand).
 */
export async function sendMail(mail: Mail): Promise<void> {
	const from = process.env.MAIL_FROM ?? 'minka@localhost';
	if (process.env.SMTP_HOST) {
		const transport = nodemailer.createTransport({
			host: process.env.SMTP_HOST,
			port: Number(process.env.SMTP_PORT ?? 587),
			auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } : undefined
		});
		await transport.sendMail({ from, ...mail });
		return;
	}
	const dir = outboxDir();
	mkdirSync(dir, { recursive: true });
	const file = join(
		dir,
		`${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}.eml`
	);
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(
		file,
		`From: ${from}\nTo: ${mail.to}\nSubject: ${mail.subject}\nContent-Type: text/plain; charset=utf-8\n\n${mail.text}\n`
	);
}
