package dev.vigie.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our files read with Parquet's own generated Thrift classes (parquet-format-structures, the code parquet-java and
 * Spark read footers with): the footer, every page header walked from each chunk's offset, the sizes and counts they
 * state against what is really there, and the null counts against the definition levels of each page.
 */
class ParquetFormatTest {
    @TempDir
    Path tmp;

    @Test
    void footerAndPagesAgreeWithWhatIsInTheFile() throws Exception {
        Path parquet = tmp.resolve("t.parquet");
        long rows = ParquetFileWriterTest.writeBoth(tmp.resolve("ref.arrow"), parquet, 5_000, new SplittableRandom(5));
        byte[] file = Files.readAllBytes(parquet);
        assertEquals("PAR1", new String(file, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(file, file.length - 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
        int footerLength = ByteBuffer.wrap(file, file.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int footerStart = file.length - 8 - footerLength;
        FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(file, footerStart, footerLength));

        assertEquals(1, meta.getVersion());
        assertEquals(rows, meta.getNum_rows());
        assertTrue(meta.getCreated_by().startsWith("vigie version "), meta.getCreated_by());
        List<SchemaElement> schema = meta.getSchema();
        int columns = ParquetFileWriterTest.SCHEMA.getFields().size();
        assertEquals(columns + 1, schema.size());
        assertEquals(columns, schema.get(0).getNum_children());
        assertEquals(columns, meta.getColumn_orders().size());
        for (int i = 1; i <= columns; i++) {
            SchemaElement e = schema.get(i);
            assertEquals(ParquetFileWriterTest.SCHEMA.getFields().get(i - 1).getName(), e.getName());
            assertEquals(FieldRepetitionType.OPTIONAL, e.getRepetition_type());
        }
        SchemaElement text = element(schema, "text");
        assertEquals(Type.BYTE_ARRAY, text.getType());
        assertTrue(text.getLogicalType().isSetSTRING());
        assertEquals(ConvertedType.UTF8, text.getConverted_type());
        SchemaElement ts = element(schema, "ts");
        assertEquals(Type.INT64, ts.getType());
        assertTrue(ts.getLogicalType().getTIMESTAMP().isIsAdjustedToUTC());
        assertTrue(ts.getLogicalType().getTIMESTAMP().getUnit().isSetMICROS());
        assertEquals(ConvertedType.TIMESTAMP_MICROS, ts.getConverted_type());
        SchemaElement local = element(schema, "ts_ns_local");
        assertFalse(local.getLogicalType().getTIMESTAMP().isIsAdjustedToUTC());
        assertTrue(local.getLogicalType().getTIMESTAMP().getUnit().isSetNANOS());
        assertFalse(local.isSetConverted_type(), "no converted type for nanoseconds");
        assertEquals(Type.INT32, element(schema, "i32").getType());
        assertEquals(Type.DOUBLE, element(schema, "f64").getType());
        assertEquals(Type.BOOLEAN, element(schema, "flag").getType());

        long rowsInGroups = 0;
        long expectedOffset = 4;
        for (RowGroup rg : meta.getRow_groups()) {
            assertEquals(columns, rg.getColumns().size());
            rowsInGroups += rg.getNum_rows();
            long groupCompressed = 0;
            long groupUncompressed = 0;
            for (ColumnChunk cc : rg.getColumns()) {
                ColumnMetaData cm = cc.getMeta_data();
                assertEquals(CompressionCodec.ZSTD, cm.getCodec());
                assertEquals(List.of(Encoding.PLAIN, Encoding.RLE), cm.getEncodings());
                assertEquals(rg.getNum_rows(), cm.getNum_values());
                assertEquals(expectedOffset, cm.getData_page_offset(), "chunks follow one another");
                groupCompressed += cm.getTotal_compressed_size();
                groupUncompressed += cm.getTotal_uncompressed_size();
                walkPages(file, cm);
                expectedOffset += cm.getTotal_compressed_size();
            }
            assertEquals(groupCompressed, rg.getTotal_compressed_size());
            assertEquals(groupUncompressed, rg.getTotal_byte_size());
            assertEquals(rg.getColumns().get(0).getMeta_data().getData_page_offset(), rg.getFile_offset());
        }
        assertEquals(rows, rowsInGroups);
        assertEquals(footerStart, expectedOffset, "the footer follows the last chunk");
    }

    /** Every page of a chunk: its header, its zstd frame of the stated sizes, its levels and the nulls they count. */
    static void walkPages(byte[] file, ColumnMetaData cm) throws Exception {
        long at = cm.getData_page_offset();
        long end = at + cm.getTotal_compressed_size();
        long values = 0;
        long nulls = 0;
        long uncompressed = 0;
        while (at < end) {
            ByteArrayInputStream in = new ByteArrayInputStream(file, (int) at, (int) (end - at));
            PageHeader h = Util.readPageHeader(in);
            int headerLength = (int) (end - at) - in.available();
            assertEquals(PageType.DATA_PAGE, h.getType());
            assertEquals(Encoding.PLAIN, h.getData_page_header().getEncoding());
            assertEquals(Encoding.RLE, h.getData_page_header().getDefinition_level_encoding());
            byte[] page = Arrays.copyOfRange(file, (int) at + headerLength,
                    (int) at + headerLength + h.getCompressed_page_size());
            byte[] body = Zstd.decompress(page, h.getUncompressed_page_size());
            assertEquals(h.getUncompressed_page_size(), body.length);
            int n = h.getData_page_header().getNum_values();
            int levelsLength = ByteBuffer.wrap(body, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            Bytes levels = new Bytes(levelsLength);
            levels.put(body, 4, levelsLength);
            for (boolean defined : BitsTest.decodeHybrid(levels, n)) {
                nulls += defined ? 0 : 1;
            }
            values += n;
            uncompressed += headerLength + h.getUncompressed_page_size();
            at += headerLength + h.getCompressed_page_size();
        }
        assertEquals(end, at, "pages fill the chunk exactly");
        assertEquals(cm.getNum_values(), values);
        assertEquals(cm.getTotal_uncompressed_size(), uncompressed);
        assertNotNull(cm.getStatistics());
        assertEquals(cm.getStatistics().getNull_count(), nulls, cm.getPath_in_schema().toString());
    }

    static SchemaElement element(List<SchemaElement> schema, String name) {
        return schema.stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }
}
