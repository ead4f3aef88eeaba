package dev.vigie.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigie.sql.AnalystViews;
import dev.vigie.sql.SqlScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SQL cell of every notebook in notebooks/, and every example of docs/sql.md, run through DuckDB JDBC
 * against the views {@code vigie sql} creates, over the demo outputs (extract and detect on the lab capture).
 * Views without files (assets, scores, patient events) are empty with their columns, so their queries run too.
 */
class NotebooksTest {
    static final Path NOTEBOOKS = Path.of("..", "notebooks");
    static final Path SQL_DOC = Path.of("..", "docs", "sql.md");

    @TempDir
    static Path out;
    /** The demo outputs plus synthetic assets, scores and patient events, so that those cells see rows too. */
    @TempDir
    static Path full;

    @BeforeAll
    static void produce() throws Exception {
        SqlCommandTest.demoOutputs(out);
        Files.copy(out.resolve("flows.parquet"), full.resolve("flows.parquet"));
        Files.copy(out.resolve("alerts.jsonl"), full.resolve("alerts.jsonl"));
        SyntheticOutputs.write(full);
    }

    /** A SQL cell: its index among all cells, and its statements. */
    record SqlCell(int index, List<String> statements) {}

    static List<SqlCell> sqlCells(Path notebook) throws Exception {
        JsonNode nb = new ObjectMapper().readTree(notebook.toFile());
        assertEquals(4, nb.path("nbformat").asInt(), notebook + ": nbformat");
        List<SqlCell> cells = new ArrayList<>();
        JsonNode all = nb.path("cells");
        for (int i = 0; i < all.size(); i++) {
            JsonNode cell = all.get(i);
            if (!"code".equals(cell.path("cell_type").asText())) continue;
            StringBuilder src = new StringBuilder();
            cell.path("source").forEach(line -> src.append(line.asText()));
            String text = src.toString();
            boolean setup = false;
            for (JsonNode tag : cell.path("metadata").path("tags")) setup |= "vigie-setup".equals(tag.asText());
            if (setup) continue;
            // a code cell the suite cannot run would be untested: only SQL cells and the tagged setup cell are allowed
            assertTrue(text.startsWith("%%sql\n"), notebook.getFileName() + " cell " + i + " is neither %%sql nor setup");
            cells.add(new SqlCell(i, SqlScript.split(text.substring("%%sql\n".length()))));
        }
        return cells;
    }

    static Connection connection() throws Exception {
        return connection(out);
    }

    static Connection connection(Path dir) throws Exception {
        Connection conn = SqlCommand.open();
        AnalystViews.create(conn, AnalystViews.discover(conn, List.of(dir)), StandardPipeline.schema());
        return conn;
    }

    /** Runs a statement and reads its whole result; returns the number of rows. */
    static long execute(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            if (!st.execute(sql)) return 0;
            long rows = 0;
            try (ResultSet rs = st.getResultSet()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int c = 1; c <= n; c++) rs.getObject(c);
                    rows++;
                }
            }
            return rows;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookCellRuns() throws Exception {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 5, "notebooks: " + notebooks);
        return Stream.of("demo", "demo+synthetic").flatMap(data -> notebooks.stream().map(nb ->
                DynamicTest.dynamicTest(nb.getFileName() + " on " + data, () -> {
            List<SqlCell> cells = sqlCells(nb);
            assertTrue(cells.size() >= 5, nb + " has " + cells.size() + " SQL cells");
            long rows = 0;
            // one connection per notebook, cells in order: variables and temp tables carry over as in Jupyter
            try (Connection conn = connection(data.equals("demo") ? out : full)) {
                for (SqlCell cell : cells) {
                    for (int s = 0; s < cell.statements().size(); s++) {
                        try {
                            rows += execute(conn, cell.statements().get(s));
                        } catch (SQLException e) {
                            fail(nb.getFileName() + " on " + data + " cell " + cell.index() + " statement " + (s + 1) + ": "
                                    + e.getMessage().lines().findFirst().orElse(""));
                        }
                    }
                }
            }
            assertTrue(rows > 0, nb + " returned no row at all on " + data);
        })));
    }

    @Test
    void triagePicksAnAlertAndFindsItsFlow() throws Exception {
        List<SqlCell> cells = sqlCells(NOTEBOOKS.resolve("02-alert-triage.ipynb"));
        try (Connection conn = connection()) {
            List<Long> rows = new ArrayList<>();
            for (SqlCell cell : cells) {
                long r = 0;
                for (String s : cell.statements()) r += execute(conn, s);
                rows.add(r);
            }
            assertEquals(1, rows.get(1), "the alert");
            assertEquals(1, rows.get(2), "its flow");
            assertTrue(rows.get(4) > 3, "its evidence fields");
        }
    }

    @Test
    void scoreNotebookSeesDriftOnSyntheticScores() throws Exception {
        List<SqlCell> cells = sqlCells(NOTEBOOKS.resolve("05-model-scores-and-drift.ipynb"));
        try (Connection conn = connection(full)) {
            for (SqlCell cell : cells.subList(0, 4)) for (String s : cell.statements()) execute(conn, s);
            // the PSI cell: last week's scores are squared, so the distribution moved
            String psi = cells.get(4).statements().get(0);
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(psi)) {
                assertTrue(rs.next());
                // the forest's scores (and so combined's) moved most: the k-means ones are squeezed into fewer buckets
                assertTrue(Set.of("isolation_forest", "combined").contains(rs.getString("model")), rs.getString("model"));
                assertTrue(rs.getDouble("psi") > 0.25, "psi " + rs.getDouble("psi"));
                assertEquals("major shift", rs.getString("verdict"));
            }
        }
    }

    static List<String> docExamples() throws Exception {
        Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(SQL_DOC));
        List<String> blocks = new ArrayList<>();
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    @Test
    void everyExampleOfTheSqlDocRuns() throws Exception {
        List<String> blocks = docExamples();
        assertTrue(blocks.size() >= 10, "docs/sql.md has " + blocks.size() + " examples");
        try (Connection conn = connection()) {
            for (int b = 0; b < blocks.size(); b++) {
                for (String stmt : SqlScript.split(blocks.get(b))) {
                    try {
                        execute(conn, stmt);
                    } catch (SQLException e) {
                        fail("docs/sql.md example " + (b + 1) + ": " + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
            }
        }
    }
}
