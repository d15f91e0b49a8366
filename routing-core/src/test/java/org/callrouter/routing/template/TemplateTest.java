package org.callrouter.routing.template;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateTest {

    private static final Map<String, String> VALUES = Map.of("caller_number", "+14155550100", "campaign", "auto",
            "empty", "");

    private static String render(String template) throws TemplateSyntaxException {
        return Template.parse(template).render(VALUES::get, Function.identity());
    }

    @Test
    void replacesTokensAndDefaults() throws TemplateSyntaxException {
        assertEquals("https://x/auto?c=+14155550100", render("https://x/[campaign]?c=[caller_number]"));
        assertEquals("a=none;b=", render("a=[missing]{none};b=[missing]"));
        assertEquals("e=blank", render("e=[empty]{blank}"));
        assertEquals("no tokens", render("no tokens"));
        assertEquals("[auto]", render("[[campaign]]"));
    }

    @Test
    void jsonBracketsStayText() throws TemplateSyntaxException {
        assertEquals("{\"tags\": [\"a\", 2], \"c\": \"auto\", \"n\": [1,2]}",
                render("{\"tags\": [\"a\", 2], \"c\": \"[campaign]\", \"n\": [1,2]}"));
        assertEquals("[a b] [] [9x]", render("[a b] [] [9x]"));
    }

    @Test
    void escapesOnlySubstitutedValues() throws TemplateSyntaxException {
        Template url = Template.parse("https://x/?c=[caller_number]&t=a+b");
        assertEquals("https://x/?c=%2B14155550100&t=a+b",
                url.render(VALUES::get, v -> URLEncoder.encode(v, StandardCharsets.UTF_8)));
    }

    @Test
    void listsItsTokens() throws TemplateSyntaxException {
        assertEquals(Set.of("a", "b.c", "d-e"), Template.parse("[a][b.c]{x}[d-e][a]").tokens());
    }

    @Test
    void unterminatedTokensAndDefaultsAreErrors() {
        assertTrue(assertThrows(TemplateSyntaxException.class, () -> Template.parse("x=[caller_number"))
                .getMessage().contains("not closed by ']'"));
        assertTrue(assertThrows(TemplateSyntaxException.class, () -> Template.parse("x=[a]{oops"))
                .getMessage().contains("not closed by '}'"));
    }
}
