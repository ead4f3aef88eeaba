package dev.vigie.protocols;

/**
 * HL7 v2 over MLLP, whole connection: each message is 0x0B, segments separated by CR, then 0x1C 0x0D. Counts
 * messages in both directions, lists their distinct types (MSH-9 type and trigger, "ADT^A01"; "ACK" alone when the
 * trigger is empty), and keeps MSH-3..6 (sending and receiving application and facility) of the originator's first
 * message, or of the responder's when the originator sent none. Only the MSH segment is read; the rest of a message
 * (patient data) is skipped byte by byte, never kept.
 */
final class Hl7Parser extends ProtocolParser {
    private static final int OUTSIDE = 0, HEADER = 1, BODY = 2;
    private static final byte START_BLOCK = 0x0B, END_BLOCK = 0x1C;

    final BoundedList types = new BoundedList();
    int messages;
    String sendingApp;
    String sendingFacility;
    String receivingApp;
    String receivingFacility;
    private boolean headerFromOrig;
    private boolean haveHeader;
    private int origState = OUTSIDE;
    private int respState = OUTSIDE;

    @Override
    AppProto proto() {
        return AppProto.HL7;
    }

    @Override
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        int state = fromOrig ? origState : respState;
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (state == OUTSIDE) {
                int i = Text.indexOf(b, pos, end, START_BLOCK);
                if (i < 0) {
                    pos = end;
                } else {
                    pos = i + 1;
                    state = HEADER;
                }
            } else if (state == HEADER) {
                int i = pos;
                while (i < end && b[i] != '\r' && b[i] != '\n' && b[i] != END_BLOCK) {
                    i++;
                }
                if (i == end) {
                    if (!(full && pos == off)) {
                        break;                               // wait for the end of the MSH segment
                    }
                    truncated(ctx);
                }
                msh(ctx, fromOrig, b, pos, i);
                pos = i;
                state = BODY;
            } else {
                int i = Text.indexOf(b, pos, end, END_BLOCK);
                if (i < 0) {
                    pos = end;
                } else {
                    messages++;
                    pos = i + 1;
                    state = OUTSIDE;
                }
            }
        }
        if (fromOrig) {
            origState = state;
        } else {
            respState = state;
        }
        return pos - off;
    }

    private void msh(ParseContext ctx, boolean fromOrig, byte[] b, int from, int to) {
        if (to - from < 8 || !Text.startsWith(b, from, to, "MSH")) {
            parseError(ctx);
            return;
        }
        byte sep = b[from + 3];
        byte comp = b[from + 4];
        boolean take = !haveHeader || fromOrig && !headerFromOrig;
        int field = 2;                                   // MSH-1 is the separator itself
        int start = from + 4;
        for (int i = from + 4; i <= to && field <= 9; i++) {
            if (i < to && b[i] != sep) {
                continue;
            }
            if (take) {
                switch (field) {
                    case 3 -> sendingApp = component(ctx, b, start, i);
                    case 4 -> sendingFacility = component(ctx, b, start, i);
                    case 5 -> receivingApp = component(ctx, b, start, i);
                    case 6 -> receivingFacility = component(ctx, b, start, i);
                    default -> { }
                }
            }
            if (field == 9) {
                String type = messageType(ctx, b, start, i, comp);
                if (type != null && !types.addDistinct(type)) {
                    truncated(ctx);
                }
            }
            field++;
            start = i + 1;
        }
        if (take) {
            haveHeader = true;
            headerFromOrig = fromOrig;
        }
    }

    private static String component(ParseContext ctx, byte[] b, int from, int to) {
        return from >= to ? null : Text.value(ctx.sb, b, from, to - from);
    }

    /** MSH-9's first two components joined by '^', whatever the message's component separator. */
    private static String messageType(ParseContext ctx, byte[] b, int from, int to, byte comp) {
        if (from >= to) {
            return null;
        }
        int c1 = Text.indexOf(b, from, to, comp);
        if (c1 < 0) {
            return Text.item(ctx.sb, b, from, to - from);
        }
        int c2 = Text.indexOf(b, c1 + 1, to, comp);
        int triggerEnd = c2 < 0 ? to : c2;
        StringBuilder sb = ctx.sb;
        sb.setLength(0);
        Text.append(sb, b, from, c1 - from, Text.MAX_VALUE, true);
        if (triggerEnd > c1 + 1) {
            sb.append('^');
            Text.append(sb, b, c1 + 1, triggerEnd - c1 - 1, Text.MAX_VALUE, true);
        }
        return sb.toString();
    }

    static boolean looksLikeMllp(byte[] b, int off, int len) {
        return len >= 4 && b[off] == START_BLOCK && Text.startsWith(b, off + 1, off + len, "MSH");
    }
}
