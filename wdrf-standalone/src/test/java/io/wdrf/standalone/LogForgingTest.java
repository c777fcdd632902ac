package io.wdrf.standalone;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped log pattern escapes CR, LF and Unicode line separators inside a message (log forging, issue 13.9). */
class LogForgingTest {

    private static String shippedPattern() throws Exception {
        try (InputStream in = LogForgingTest.class.getResourceAsStream("/logback.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("<pattern>(.*)</pattern>").matcher(xml);
            assertThat(m.find()).isTrue();
            return m.group(1);
        }
    }

    @Test
    void aForgedLineInAMessageStaysOnOneLine() throws Exception {
        LoggerContext ctx = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(ctx);
        layout.setPattern(shippedPattern());
        layout.start();
        String value = "team-a\r2026-12-01T00:00:00.000Z INFO  [main] wdrf - became leader\nnext\u2028sep";
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("wdrf"), Level.WARN, "skipping invalid object: {}", null,
                new Object[]{value});
        String line = layout.doLayout(e);
        assertThat(line.substring(0, line.length() - System.lineSeparator().length()))
                .doesNotContain("\r").doesNotContain("\n").doesNotContain("\u2028")
                .contains("team-a\\r2026-12-01").contains("leader\\nnext\\u2028sep");
        assertThat(line).endsWith(System.lineSeparator());
    }
}
