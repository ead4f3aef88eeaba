package dev.vigie.protocols;

import dev.vigie.features.IpText;

/**
 * DNS over UDP (each datagram) and TCP (2-byte length prefix, first message of each direction): the first question
 * seen, and the first response's code, answer count and answers (addresses of A/AAAA, names of CNAME/PTR/NS/MX,
 * the first string of TXT).
 *
 * <p>Names are decompressed with loop protection: a compression pointer must point strictly before itself (every
 * legitimate encoder refers back to an earlier occurrence), at most {@link #MAX_JUMPS} pointers are followed, and
 * a name stops at 255 wire bytes.
 */
final class DnsParser extends ProtocolParser {
    static final int MAX_JUMPS = 16;
    static final int MAX_NAME_WIRE = 255;
    static final int MAX_ANSWERS_PARSED = 32;

    String query;
    int qtype = -1;
    int rcode = -1;
    int answersCount = -1;
    BoundedList answers;
    private boolean sawQuery;
    private boolean sawResponse;
    private boolean origDone;
    private boolean respDone;
    /** Position right after the last name read; -1 when the name was malformed. */
    private int nameEnd;

    @Override
    AppProto proto() {
        return AppProto.DNS;
    }

    @Override
    void onDatagram(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len) {
        parseMessage(ctx, b, off, len, false);
    }

    @Override
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        if (len < 2) {
            return 0;
        }
        int msgLen = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
        if (msgLen == 0) {
            parseError(ctx);
            markDone(fromOrig);
            return len;
        }
        if (len - 2 >= msgLen) {
            parseMessage(ctx, b, off + 2, msgLen, false);
            markDone(fromOrig);
            return 2 + msgLen;
        }
        if (full) {
            // a large message (zone transfer): what fits holds the question and the first answers
            parseMessage(ctx, b, off + 2, len - 2, true);
            markDone(fromOrig);
            return len;
        }
        return 0;
    }

    private void markDone(boolean fromOrig) {
        if (fromOrig) {
            origDone = true;
        } else {
            respDone = true;
        }
    }

    @Override
    boolean wants(boolean fromOrig) {
        if (sawQuery && sawResponse) {
            return false;
        }
        return fromOrig ? !origDone : !respDone;
    }

    @Override
    long budget(boolean fromOrig) {
        return 65_537;
    }

    /** Parses one message; {@code cut} says the caller knows it is only a prefix. */
    void parseMessage(ParseContext ctx, byte[] b, int off, int len, boolean cut) {
        if (len < 12) {
            parseError(ctx);
            return;
        }
        int end = off + len;
        int flags = u16(b, off + 2);
        boolean response = (flags & 0x8000) != 0;
        int qd = u16(b, off + 4);
        int an = u16(b, off + 6);
        int pos = off + 12;
        if (response && sawResponse || !response && sawQuery) {
            if (query != null) {
                return;
            }
        }
        boolean first = true;
        for (int q = 0; q < qd; q++) {
            String name = readName(ctx, b, off, end, pos, first && query == null, false);
            if (nameEnd < 0 || nameEnd + 4 > end) {
                problem(ctx, cut);
                return;
            }
            pos = nameEnd + 4;
            if (first && query == null) {
                query = name;
                qtype = u16(b, nameEnd);
            }
            first = false;
        }
        if (!response) {
            sawQuery = true;
            return;
        }
        if (sawResponse) {
            return;
        }
        sawResponse = true;
        rcode = flags & 0x0F;
        answersCount = an;
        for (int a = 0; a < an && a < MAX_ANSWERS_PARSED; a++) {
            readName(ctx, b, off, end, pos, false, false);
            if (nameEnd < 0 || nameEnd + 10 > end) {
                problem(ctx, cut);
                return;
            }
            int type = u16(b, nameEnd);
            int rdlen = u16(b, nameEnd + 8);
            int rdata = nameEnd + 10;
            if (rdata + rdlen > end) {
                problem(ctx, cut);
                return;
            }
            String value = rdata(ctx, b, off, rdata, rdlen, type);
            if (value != null) {
                if (answers == null) {
                    answers = new BoundedList();
                }
                if (!answers.add(value)) {
                    truncated(ctx);
                }
            }
            pos = rdata + rdlen;
        }
    }

    private void problem(ParseContext ctx, boolean cut) {
        if (cut) {
            truncated(ctx);
        } else {
            parseError(ctx);
        }
    }

    private String rdata(ParseContext ctx, byte[] b, int msg, int rdata, int rdlen, int type) {
        int end = rdata + rdlen;
        switch (type) {
            case 1:
                return rdlen == 4 ? IpText.format(4, 0, u32(b, rdata)) : null;
            case 28:
                if (rdlen != 16) {
                    return null;
                }
                return IpText.format(6, u64(b, rdata), u64(b, rdata + 8));
            case 2, 5, 12: {
                String n = readName(ctx, b, msg, end, rdata, true, true);
                return nameEnd < 0 ? null : n;
            }
            case 15: {
                if (rdlen < 3) {
                    return null;
                }
                String n = readName(ctx, b, msg, end, rdata + 2, true, true);
                return nameEnd < 0 ? null : n;
            }
            case 16: {
                if (rdlen < 1) {
                    return null;
                }
                int n = Math.min(b[rdata] & 0xFF, rdlen - 1);
                return Text.item(ctx.sb, b, rdata + 1, n);
            }
            default:
                return null;
        }
    }

    /**
     * Reads the name at {@code pos}; sets {@link #nameEnd} to the position after it in place (-1 when malformed).
     * Pointers may reach anywhere before themselves in the message starting at {@code msg}; labels must stay
     * below {@code end} (pointers below the message's real end, which is at least {@code end}).
     *
     * @return the name as text when {@code text}, else null
     */
    String readName(ParseContext ctx, byte[] b, int msg, int end, int pos, boolean text, boolean listItem) {
        StringBuilder sb = ctx.sb;
        if (text) {
            sb.setLength(0);
        }
        int p = pos;
        int after = -1;
        int jumps = 0;
        int wire = 0;
        while (true) {
            if (p >= end) {
                nameEnd = -1;
                return null;
            }
            int c = b[p] & 0xFF;
            if (c == 0) {
                if (after < 0) {
                    after = p + 1;
                }
                break;
            }
            if ((c & 0xC0) == 0xC0) {
                if (p + 1 >= end) {
                    nameEnd = -1;
                    return null;
                }
                int target = msg + (((c & 0x3F) << 8) | (b[p + 1] & 0xFF));
                if (target >= p || ++jumps > MAX_JUMPS) {
                    nameEnd = -1;
                    return null;
                }
                if (after < 0) {
                    after = p + 2;
                }
                p = target;
                continue;
            }
            if ((c & 0xC0) != 0) {
                nameEnd = -1;                 // extended label types (RFC 6891 obsoleted them)
                return null;
            }
            wire += c + 1;
            if (p + 1 + c > end || wire > MAX_NAME_WIRE) {
                nameEnd = -1;
                return null;
            }
            if (text) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                Text.append(sb, b, p + 1, c, Text.MAX_VALUE, listItem);
            }
            p += 1 + c;
        }
        nameEnd = after;
        if (!text) {
            return null;
        }
        if (sb.length() == 0) {
            return ".";
        }
        if (sb.length() > Text.MAX_VALUE) {
            sb.setLength(Text.MAX_VALUE);
        }
        return sb.toString();
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static long u32(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    /** Plausible DNS header for content detection: sane opcode and counts. */
    static boolean looksLikeDns(byte[] b, int off, int len) {
        if (len < 12) {
            return false;
        }
        int flags = u16(b, off + 2);
        int opcode = (flags >>> 11) & 0xF;
        if (opcode == 3 || opcode > 6) {
            return false;
        }
        int qd = u16(b, off + 4);
        int an = u16(b, off + 6);
        int ns = u16(b, off + 8);
        int ar = u16(b, off + 10);
        boolean response = (flags & 0x8000) != 0;
        if (qd > 32 || an > 512 || ns > 512 || ar > 512) {
            return false;
        }
        return qd > 0 || response && an + ns + ar > 0 || opcode == 5;
    }
}
