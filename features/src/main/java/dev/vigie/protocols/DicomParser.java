package dev.vigie.protocols;

/**
 * DICOM upper layer: the A-ASSOCIATE-RQ that opens an association (PS3.8 9.3.2): PDU type 0x01, reserved, 4-byte
 * length, protocol version, reserved, called AE title (16 bytes), calling AE title (16 bytes), space padded. Only
 * the originator's first PDU is read.
 */
final class DicomParser extends ProtocolParser {
    private static final int RQ_FIXED = 6 + 2 + 2 + 16 + 16 + 32;

    String callingAe;
    String calledAe;
    private boolean done;

    @Override
    AppProto proto() {
        return AppProto.DICOM;
    }

    @Override
    boolean wants(boolean fromOrig) {
        return fromOrig && !done;
    }

    @Override
    int onStream(ParseContext ctx, boolean fromOrig, byte[] b, int off, int len, boolean full) {
        if (len < 10) {
            return 0;
        }
        if (!looksLikeAssociateRq(b, off, len)) {
            parseError(ctx);
            rejected = true;
            done = true;
            return len;
        }
        if (len < RQ_FIXED) {
            return 0;
        }
        calledAe = ae(ctx, b, off + 10);
        callingAe = ae(ctx, b, off + 26);
        done = true;
        return len;
    }

    private static String ae(ParseContext ctx, byte[] b, int off) {
        int s = off;
        int e = off + 16;
        while (s < e && (b[s] == ' ' || b[s] == 0)) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == 0)) {
            e--;
        }
        return s == e ? null : Text.value(ctx.sb, b, s, e - s);
    }

    /** Type 0x01, reserved 0, a PDU length that can hold the fixed part, protocol version with bit 0 set. */
    static boolean looksLikeAssociateRq(byte[] b, int off, int len) {
        if (len < 10 || b[off] != 0x01 || b[off + 1] != 0) {
            return false;
        }
        long pduLength = DnsParser.u32(b, off + 2);
        int version = ((b[off + 6] & 0xFF) << 8) | (b[off + 7] & 0xFF);
        return pduLength >= RQ_FIXED - 6 && pduLength <= 1 << 20 && (version & 1) == 1;
    }
}
