package dev.vigie.schema;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VarCharVector;

/** Reads of text cells in place, without the byte[] that {@link VarCharVector#get(int)} allocates per call. */
public final class TextCells {
    private TextCells() {}

    /** Whether a non-null cell holds exactly the bytes {@code want}. */
    public static boolean equals(VarCharVector v, int i, byte[] want) {
        int start = v.getStartOffset(i);
        int end = v.getEndOffset(i);
        if (end - start != want.length) {
            return false;
        }
        ArrowBuf data = v.getDataBuffer();
        for (int k = 0; k < want.length; k++) {
            if (data.getByte(start + k) != want[k]) {
                return false;
            }
        }
        return true;
    }
}
