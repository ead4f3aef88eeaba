package dev.vigie.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegexLiteralTest {

    @Test
    void literalsOfTheBuiltInAndCommonShapes() {
        assertEquals(new RegexLiteral("www.", true), RegexLiteral.of("^www\\.[a-z0-9]{8,32}\\.(com|net)$"));
        assertEquals(new RegexLiteral("CN=www.", false), RegexLiteral.of("CN=www\\.[a-z0-9]{8,32}\\.(com|net)"));
        assertEquals(new RegexLiteral("sqlma", false), RegexLiteral.of("sqlmap?/"));     // the p is optional
        assertEquals(new RegexLiteral("Nmap Scripting", false), RegexLiteral.of("Nmap Scripting(?i)x"));
        assertEquals(new RegexLiteral("a-b", true), RegexLiteral.of("^a\\-b\\d+"));
        assertNull(RegexLiteral.of("^abc|def"));          // ^ binds to the first choice only: "xdef" matches
        assertNull(RegexLiteral.of("(?i)kali"));          // a flag first
        assertNull(RegexLiteral.of("[k]ali"));
        assertNull(RegexLiteral.of("\\bkali"));
        assertNull(RegexLiteral.of("k*ali"));
        assertNull(RegexLiteral.of(".kali"));
        assertEquals(new RegexLiteral("ab", false), RegexLiteral.of("ab(c|d)[|]"));   // bars inside a group and a class
    }

    /** Whatever the pattern and the text, a text the literal refuses is one RE2 does not match. */
    @Test
    void aRefusedTextNeverMatches() {
        String[] patterns = {
            "^www\\.[a-z0-9]{2,4}\\.(com|net)$", "CN=www\\.[a-z0-9]{2,4}\\.(com|net)", "ab?c", "^a\\.b", "a.b|c",
            "^ab[c|]d", "abc$", "a\\-b-c", "ab{2}c", "^(ab)c", "a b", "ab(c|d)", "^$", "a\\.", "\\.ab",
        };
        Random random = new Random(7);
        String alphabet = "abcdwn.CN=-|wmoet ";
        int refused = 0;
        int matched = 0;
        for (String regex : patterns) {
            Pattern p = Pattern.compile(regex);
            RegexLiteral lit = RegexLiteral.of(regex);
            List<String> texts = new ArrayList<>(List.of("", "www.ab.com", "CN=www.abc.net", "xCN=www.ab.com", "abc",
                    "ac", "a.b", "c", "xdef", "a-b-c", "abbc", "a b", "abd"));
            for (int i = 0; i < 20_000; i++) {
                StringBuilder b = new StringBuilder();
                for (int n = random.nextInt(16); n > 0; n--) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                texts.add(b.toString());
            }
            for (String t : texts) {
                boolean match = p.matcher(t).find();
                if (match) matched++;
                if (lit != null && !lit.admits(t)) {
                    refused++;
                    assertFalse(match, regex + " matches " + t + " which its literal " + lit + " refuses");
                }
            }
        }
        assertTrue(refused > 100_000 && matched > 1_000, "refused " + refused + ", matched " + matched);
    }
}
