package dev.vigie.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertEquals(List.of("SELECT 'a;b'", "SELECT \"c;d\" FROM t", "-- x; y\nSELECT 1 /* ; */ + 2"),
                SqlScript.split("SELECT 'a;b'; SELECT \"c;d\" FROM t;\n-- x; y\nSELECT 1 /* ; */ + 2;;  "));
        assertEquals(List.of("SELECT 'it''s; fine'"), SqlScript.split("SELECT 'it''s; fine'"));
        assertEquals(List.of(), SqlScript.split(" ; -- only a comment\n ;"));
    }

    @Test
    void completeWhenTheLastStatementIsTerminated() {
        assertFalse(SqlScript.complete("SELECT 1"));
        assertTrue(SqlScript.complete("SELECT 1;"));
        assertTrue(SqlScript.complete("SELECT 1; -- done\n"));
        assertFalse(SqlScript.complete("SELECT 'a;"));
        assertFalse(SqlScript.complete("SELECT 1; SELECT 2"));
        assertFalse(SqlScript.complete("SELECT /* ; */ 1"));
        assertFalse(SqlScript.complete("SELECT 1 /* ;"));
    }
}
