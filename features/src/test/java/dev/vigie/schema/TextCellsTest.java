package dev.vigie.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/** {@link TextCells#equals} gives what comparing the cell's bytes from {@link VarCharVector#get} gives. */
class TextCellsTest {
    @Test
    void sameAnswerAsComparingTheCopiedBytes() {
        String[] cells = {"tcp", "", "udp", "tc", "tcpx", "é", "SF", "S1", "RSTO"};
        String[] wanted = {"tcp", "", "udp", "tc", "tcpx", "é", "e", "SF", "S", "RSTOS0", "RST"};
        try (BufferAllocator a = new RootAllocator(); VarCharVector v = new VarCharVector("t", a)) {
            v.allocateNew();
            for (int i = 0; i < cells.length; i++) {
                v.setSafe(i, cells[i].getBytes(StandardCharsets.UTF_8));
            }
            v.setValueCount(cells.length);
            int matches = 0;
            for (int i = 0; i < cells.length; i++) {
                for (String w : wanted) {
                    byte[] want = w.getBytes(StandardCharsets.UTF_8);
                    boolean expected = Arrays.equals(v.get(i), want);
                    assertEquals(expected, TextCells.equals(v, i, want), cells[i] + " vs " + w);
                    matches += expected ? 1 : 0;
                }
            }
            assertEquals(7, matches);
        }
    }
}
