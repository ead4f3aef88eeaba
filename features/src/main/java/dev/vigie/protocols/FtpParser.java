package dev.vigie.protocols;

import dev.vigie.flow.Flow;

/**
 * FTP control connection, whole session: user names, PASS commands (login attempts), 230 and 530 replies, file
 * commands with their argument, and the data channels announced by 227/229 replies and PORT/EPRT commands, which
 * are registered in the {@link FtpExpectations} table so that the data flow can name its control flow.
 *
 * <p>When the flow was picked on a bare "220" banner (not port 21), the client's first command decides: an FTP
 * command confirms, EHLO/HELO makes it SMTP (labelled, not parsed), anything else rejects. After an accepted AUTH
 * (234) the session is encrypted and parsing stops.
 */
final class FtpParser extends LineParser {
    // lower case: compared ASCII case-insensitively
    private static final String[] FILE_COMMANDS = {"retr", "stor", "stou", "appe", "dele", "rnfr", "rnto", "mkd",
        "rmd", "xmkd", "xrmd"};
    private static final String[] FTP_COMMANDS = {"user", "pass", "auth", "syst", "feat", "opts", "pasv", "epsv",
        "port", "eprt", "type", "quit", "noop", "acct", "pwd", "cwd", "list", "nlst", "help", "stat", "host", "clnt"};

    private AppProto proto = AppProto.FTP;
    private boolean tentative;
    final BoundedList users = new BoundedList();
    final BoundedList commands = new BoundedList(32);
    int loginAttempts;
    int loginOk;
    int loginFailed;
    int dataChannels;
    boolean sawCredentials;
    private boolean done;
    /** Code of the multi-line reply being read ("230-" ... "230 "), or -1. */
    private int multiline = -1;

    FtpParser(boolean tentative) {
        this.tentative = tentative;
    }

    @Override
    AppProto proto() {
        return proto;
    }

    @Override
    boolean wants(boolean fromOrig) {
        return !done;
    }

    @Override
    boolean cleartextCredentials() {
        return sawCredentials;
    }

    @Override
    void line(ParseContext ctx, boolean fromOrig, byte[] b, int from, int to, boolean cut) {
        if (fromOrig) {
            command(ctx, b, from, to, cut);
        } else {
            reply(ctx, b, from, to);
        }
    }

    private void command(ParseContext ctx, byte[] b, int from, int to, boolean cut) {
        from = Text.trimStart(b, from, to);
        int sp = Text.indexOf(b, from, to, ' ');
        int verbEnd = sp < 0 ? to : sp;
        int verbLen = verbEnd - from;
        if (verbLen == 0) {
            return;
        }
        if (tentative) {
            if (verbLen == 4 && (Text.startsWithIgnoreCase(b, from, to, "ehlo") || Text.startsWithIgnoreCase(b, from, to, "helo"))) {
                proto = AppProto.SMTP;
                done = true;
                return;
            }
            if (!isOneOf(b, from, verbEnd, FTP_COMMANDS)) {
                rejected = true;
                done = true;
                return;
            }
            tentative = false;
        }
        int arg = sp < 0 ? to : Text.trimStart(b, sp + 1, to);
        int argEnd = Text.trimEnd(b, arg, to);
        if (is(b, from, verbEnd, "user")) {
            sawCredentials = true;
            if (!users.addDistinct(Text.item(ctx.sb, b, arg, argEnd - arg))) {
                truncated(ctx);
            }
        } else if (is(b, from, verbEnd, "pass")) {
            sawCredentials = true;
            loginAttempts++;
        } else if (is(b, from, verbEnd, "port")) {
            dataChannels++;
            port(ctx, b, arg, argEnd);
        } else if (is(b, from, verbEnd, "eprt")) {
            dataChannels++;
            eprt(ctx, b, arg, argEnd);
        } else if (isOneOf(b, from, verbEnd, FILE_COMMANDS)) {
            StringBuilder sb = ctx.sb;
            sb.setLength(0);
            for (int i = from; i < verbEnd; i++) {
                sb.append(Character.toUpperCase((char) (b[i] & 0x7F)));
            }
            sb.append(':');
            Text.append(sb, b, arg, argEnd - arg, Text.MAX_VALUE, true);
            if (cut && sb.length() < Text.MAX_VALUE) {
                sb.append("...");
            }
            if (!commands.add(sb.toString())) {
                truncated(ctx);
            }
        }
    }

    private void reply(ParseContext ctx, byte[] b, int from, int to) {
        if (to - from < 3) {
            return;
        }
        long code = Text.parseDecimal(b, from, from + 3);
        boolean hasCode = code >= 100 && code <= 599;
        char sep = to - from > 3 ? (char) b[from + 3] : ' ';
        if (multiline >= 0) {
            if (hasCode && code == multiline && sep != '-') {
                multiline = -1;                          // the last line of a multi-line reply
                finalReply(ctx, (int) code, b, from, to);
            }
            return;
        }
        if (!hasCode) {
            parseError(ctx);
            if (tentative && loginAttempts == 0) {
                rejected = true;
                done = true;
            }
            return;
        }
        if (sep == '-') {
            multiline = (int) code;
            return;
        }
        finalReply(ctx, (int) code, b, from, to);
    }

    private void finalReply(ParseContext ctx, int code, byte[] b, int from, int to) {
        switch (code) {
            case 230 -> loginOk++;
            case 530 -> loginFailed++;
            case 227 -> {
                dataChannels++;
                pasv(ctx, b, from + 3, to);
            }
            case 229 -> {
                dataChannels++;
                epsv(ctx, b, from + 3, to);
            }
            case 234 -> done = true;                    // AUTH TLS accepted: the rest is encrypted
            default -> { }
        }
    }

    /** "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)": the parentheses are optional in practice. */
    private void pasv(ParseContext ctx, byte[] b, int from, int to) {
        int p = from;
        while (p < to && (b[p] < '0' || b[p] > '9')) {
            p++;
        }
        Flow f = ctx.flow;
        expectSixNumbers(ctx, b, p, to, f.respHi(), f.respLo());
    }

    /** "229 Entering Extended Passive Mode (|||port|)": the data connection goes to the server's address. */
    private void epsv(ParseContext ctx, byte[] b, int from, int to) {
        int open = Text.indexOf(b, from, to, '(');
        if (open < 0 || open + 5 > to) {
            parseError(ctx);
            return;
        }
        byte d = b[open + 1];
        if (b[open + 2] != d || b[open + 3] != d) {
            parseError(ctx);
            return;
        }
        int close = Text.indexOf(b, open + 4, to, d);
        long port = close < 0 ? -1 : Text.parseDecimal(b, open + 4, close);
        if (port <= 0 || port > 65535) {
            parseError(ctx);
            return;
        }
        Flow f = ctx.flow;
        expect(ctx, f.respHi(), f.respLo(), (int) port, f.respHi(), f.respLo(), false);
    }

    /** "PORT h1,h2,h3,h4,p1,p2": the server will connect to the client at that endpoint. */
    private void port(ParseContext ctx, byte[] b, int from, int to) {
        Flow f = ctx.flow;
        expectSixNumbers(ctx, b, from, to, f.origHi(), f.origLo());
    }

    /**
     * "h1,h2,h3,h4,p1,p2" (227 and PORT): the IPv4 endpoint a data connection will reach; {@code seenHi/Lo} is
     * the announcing side's address on the wire (registered too when NAT makes it differ).
     */
    private void expectSixNumbers(ParseContext ctx, byte[] b, int from, int to, long seenHi, long seenLo) {
        long[] v = sixNumbers(b, from, to);
        if (v == null) {
            parseError(ctx);
            return;
        }
        long addr = (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
        int port = (int) (v[4] * 256 + v[5]);
        expect(ctx, 0, addr, port, seenHi, seenLo, ctx.flow.ipVersion() == 4);
    }

    /** "EPRT |1|132.235.1.2|6275|" or "|2|1080::8:800:200C:417A|5282|". */
    private void eprt(ParseContext ctx, byte[] b, int from, int to) {
        if (to - from < 7) {
            parseError(ctx);
            return;
        }
        byte d = b[from];
        int f1 = Text.indexOf(b, from + 1, to, d);
        int f2 = f1 < 0 ? -1 : Text.indexOf(b, f1 + 1, to, d);
        int f3 = f2 < 0 ? -1 : Text.indexOf(b, f2 + 1, to, d);
        if (f3 < 0) {
            parseError(ctx);
            return;
        }
        long port = Text.parseDecimal(b, f2 + 1, f3);
        if (port <= 0 || port > 65535) {
            parseError(ctx);
            return;
        }
        Flow f = ctx.flow;
        long v4 = ipv4(b, f1 + 1, f2);
        if (v4 >= 0) {
            expect(ctx, 0, v4, (int) port, f.origHi(), f.origLo(), f.ipVersion() == 4);
        } else {
            // an IPv6 literal: in practice the client's own address, which the flow already has
            expect(ctx, f.origHi(), f.origLo(), (int) port, f.origHi(), f.origLo(), false);
        }
    }

    /**
     * Registers the announced endpoint, and also the endpoint seen on the wire when they differ (a NATed server or
     * client announces its private address).
     */
    private void expect(ParseContext ctx, long hi, long lo, int port, long seenHi, long seenLo, boolean alsoSeen) {
        long id = ctx.flow.flowId();
        ctx.expectations.expect(hi, lo, port, id, ctx.nowNs);
        if (alsoSeen && (hi != seenHi || lo != seenLo)) {
            ctx.expectations.expect(seenHi, seenLo, port, id, ctx.nowNs);
        }
    }

    private static long[] sixNumbers(byte[] b, int from, int to) {
        long[] v = new long[6];
        int p = from;
        for (int i = 0; i < 6; i++) {
            int s = p;
            while (p < to && b[p] >= '0' && b[p] <= '9' && p - s < 3) {
                p++;
            }
            long x = Text.parseDecimal(b, s, p);
            if (x < 0 || x > 255) {
                return null;
            }
            v[i] = x;
            if (i < 5) {
                if (p >= to || b[p] != ',') {
                    return null;
                }
                p++;
            }
        }
        return v;
    }

    private static long ipv4(byte[] b, int from, int to) {
        long a = 0;
        int p = from;
        for (int i = 0; i < 4; i++) {
            int s = p;
            while (p < to && b[p] >= '0' && b[p] <= '9' && p - s < 3) {
                p++;
            }
            long x = Text.parseDecimal(b, s, p);
            if (x < 0 || x > 255) {
                return -1;
            }
            a = (a << 8) | x;
            if (i < 3) {
                if (p >= to || b[p] != '.') {
                    return -1;
                }
                p++;
            }
        }
        return p == to ? a : -1;
    }

    /** {@code verb} in lower case. */
    private static boolean is(byte[] b, int from, int to, String verb) {
        return to - from == verb.length() && Text.startsWithIgnoreCase(b, from, to, verb);
    }

    private static boolean isOneOf(byte[] b, int from, int to, String[] verbs) {
        for (String v : verbs) {
            if (is(b, from, to, v)) {
                return true;
            }
        }
        return false;
    }

    /** A server greeting: "220" then a space or a dash. */
    static boolean looksLikeGreeting(byte[] b, int off, int len) {
        return len >= 4 && b[off] == '2' && b[off + 1] == '2' && b[off + 2] == '0' && (b[off + 3] == ' ' || b[off + 3] == '-');
    }

    /** A client command typical of the start of an FTP session. */
    static boolean looksLikeCommand(byte[] b, int off, int len) {
        int end = off + len;
        int sp = Text.indexOf(b, off, Math.min(end, off + 5), ' ');
        int verbEnd = sp < 0 ? Math.min(end, off + 4) : sp;
        return (Text.indexOf(b, off, end, '\n') > 0) && isOneOf(b, off, verbEnd, FTP_COMMANDS);
    }
}
