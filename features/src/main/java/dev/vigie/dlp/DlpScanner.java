package dev.vigie.dlp;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Evaluates candidate runs and keeps the keyed hashes. The hash is HMAC-SHA256(site secret, compact identifier in
 * ASCII), first 8 bytes in hex (16 characters): analysts correlate the same identifier across flows and alerts of
 * a site without ever seeing it. The clear value lives only in the scanner's 24-byte run buffer, overwritten by
 * the next run; it never reaches a string, a log line or an exception message.
 */
final class DlpScanner {
    final DlpConfig config;
    final DlpCounters counters;
    private final Mac mac;
    private final byte[] digest = new byte[32];
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    DlpScanner(DlpConfig config, DlpCounters counters) {
        this.config = config;
        this.counters = counters;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(config.secret(), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("dlp: HmacSHA256 unavailable in this JVM", e);
        }
    }

    void evaluate(DlpState st, byte[] run, int len) {
        if (len == 15) {
            if (Detectors.nir(run, len)) {
                st.nir++;
                counters.nir++;
                st.addHash(hash(run, len));
                return;
            }
            if (run[0] >= '1' && run[0] <= '8') {
                st.badNir++;
                counters.nirBadKey++;
            }
        }
        if (Detectors.card(run, len)) {
            st.cards++;
            counters.cards++;
            st.addHash(hash(run, len));
        }
    }

    /** Keyed hash of a compact identifier, 16 hex characters. One string per match, none per packet. */
    String hash(byte[] run, int len) {
        mac.update(run, 0, len);
        try {
            mac.doFinal(digest, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException("dlp: digest buffer", e);
        }
        char[] out = new char[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }
}
