package dev.vigie.flow;

/**
 * Zeek's connection history string, packed into two longs so that recording a letter never allocates.
 *
 * <p>Letters: s SYN, h SYN-ACK, a pure ACK, d data, f FIN, r RST, t retransmission, w zero window, q SYN with
 * FIN or RST; upper case for the originator, lower case for the responder; {@code ^} first when the originator
 * was inferred from a SYN-ACK seen first (the direction was flipped). As in Zeek, a, d and q are recorded once per
 * direction, t and w once and then at the 10th, 100th, 1000th... occurrence. Zeek records s, h, f and r again when
 * their sequence number changes; we record each once per direction (documented deviation). At most 24 letters are
 * kept; later ones are dropped.
 */
public final class ConnHistory {
    static final int BIT_SYN = 1, BIT_SYNACK = 1 << 1, BIT_ACK = 1 << 2, BIT_DATA = 1 << 3, BIT_FIN = 1 << 4,
            BIT_RST = 1 << 5, BIT_RETRANSMIT = 1 << 6, BIT_ZERO_WINDOW = 1 << 7, BIT_MULTI = 1 << 8;
    private static final char[] LETTERS = {'s', 'h', 'a', 'd', 'f', 'r', 't', 'w', 'q'};
    private static final int KINDS = LETTERS.length;
    private static final int FLIP = 2 * KINDS + 1;
    static final int MAX_LETTERS = 24;

    private long low;
    private long high;
    private int length;
    /** Kinds already recorded, originator in bits 0..8, responder in bits 9..17. */
    private int recorded;

    void clear() {
        low = high = 0;
        length = 0;
        recorded = 0;
    }

    void markFlipped() {
        if (length == 0) {
            append(FLIP);
        }
    }

    /**
     * Records the events of one packet.
     *
     * @param retransmits this side's retransmission count after the packet (drives the logarithmic repeats)
     * @param zeroWindows this side's zero-window count after the packet
     */
    void record(int events, boolean fromOriginator, int retransmits, int zeroWindows) {
        if (events == 0) {
            return;
        }
        int shift = fromOriginator ? 0 : KINDS;
        for (int k = 0; k < KINDS; k++) {
            int bit = 1 << k;
            if ((events & bit) == 0) {
                continue;
            }
            boolean first = (recorded & (bit << shift)) == 0;
            boolean repeat = !first && ((bit == BIT_RETRANSMIT && isPowerOfTen(retransmits))
                    || (bit == BIT_ZERO_WINDOW && isPowerOfTen(zeroWindows)));
            if (first || repeat) {
                recorded |= bit << shift;
                append(1 + k + (fromOriginator ? KINDS : 0));
            }
        }
    }

    private static boolean isPowerOfTen(int n) {
        if (n < 10) {
            return false;
        }
        while (n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    private void append(int symbol) {
        if (length >= MAX_LETTERS) {
            return;
        }
        if (length < 12) {
            low |= (long) symbol << (5 * length);
        } else {
            high |= (long) symbol << (5 * (length - 12));
        }
        length++;
    }

    /** True when this side has sent the given kinds already (used for conn_state decisions). */
    boolean seen(int bit, boolean fromOriginator) {
        return (recorded & (bit << (fromOriginator ? 0 : KINDS))) != 0;
    }

    public int length() {
        return length;
    }

    /** The responder answered a SYN with a SYN-ACK (Zeek's {@code h}): someone listens on that port. */
    public boolean responderSynAck() {
        return seen(BIT_SYNACK, false);
    }

    /** Appends the history as Zeek writes it. */
    public void write(dev.vigie.schema.TextBuffer out) {
        for (int i = 0; i < length; i++) {
            int symbol = (int) ((i < 12 ? low >>> (5 * i) : high >>> (5 * (i - 12))) & 31);
            if (symbol == FLIP) {
                out.append('^');
            } else if (symbol > KINDS) {
                out.append(Character.toUpperCase(LETTERS[symbol - 1 - KINDS]));
            } else {
                out.append(LETTERS[symbol - 1]);
            }
        }
    }

    /** The history as Zeek writes it (allocates; the row writer uses {@link #write}). */
    @Override
    public String toString() {
        dev.vigie.schema.TextBuffer b = new dev.vigie.schema.TextBuffer();
        write(b);
        return b.toString();
    }
}
