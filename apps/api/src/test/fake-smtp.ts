// A loopback SMTP server (the protocol, not a stub): enough of RFC 5321 for nodemailer.
import net from "node:net";

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

/**
 * `opts.refuse`: asked at the end of each message's DATA; a reply line it returns (e.g. "451 4.3.0
 * try again later", "550 5.1.1 no such user") refuses that message instead of queuing it.
 */
export async function startFakeSmtp(
  opts: { refuse?: (mail: ReceivedMail) => string | null } = {},
): Promise<{ url: string; mails: ReceivedMail[]; refused: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const refused: ReceivedMail[] = [];
  const server = net.createServer((socket) => {
    let buffer = "";
    let inData = false;
    let current: ReceivedMail = { from: "", to: [], data: "" };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 fake-smtp ready");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          current.data = buffer.slice(0, end).replace(/\r\n\.\./g, "\r\n.");
          buffer = buffer.slice(end + 5);
          inData = false;
          const refusal = opts.refuse?.(current) ?? null;
          if (refusal) refused.push(current);
          else mails.push(current);
          current = { from: "", to: [], data: "" };
          reply(refusal ?? "250 OK: queued");
          continue;
        }
        const nl = buffer.indexOf("\r\n");
        if (nl === -1) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") {
          reply("250 fake-smtp");
        } else if (verb === "MAIL") {
          current.from = line.replace(/^MAIL FROM:\s*/i, "");
          reply("250 OK");
        } else if (verb === "RCPT") {
          current.to.push(line.replace(/^RCPT TO:\s*/i, ""));
          reply("250 OK");
        } else if (verb === "DATA") {
          inData = true;
          reply("354 End data with <CR><LF>.<CR><LF>");
        } else if (verb === "QUIT") {
          reply("221 Bye");
          socket.end();
        } else if (verb === "RSET" || verb === "NOOP") {
          reply("250 OK");
        } else {
          reply("502 Command not implemented");
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${addr.port}`,
    mails,
    refused,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
