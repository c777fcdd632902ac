package io.wdrf.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6902 cases (several from its appendix A). */
class JsonPatchTest {

    private static Object json(String s) {
        try {
            return Json.parse(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void check(String doc, String patch, String expected) {
        assertThat(JsonPatch.apply(json(doc), json(patch))).as("%s + %s", doc, patch).isEqualTo(json(expected));
    }

    @Test
    void appendixCases() {
        check("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]", "{\"foo\":\"bar\",\"baz\":\"qux\"}");
        check("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
                "{\"foo\":[\"bar\",\"qux\",\"baz\"]}");
        check("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]", "{\"foo\":\"bar\"}");
        check("{\"foo\":[\"bar\",\"qux\",\"baz\"]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]", "{\"foo\":[\"bar\",\"baz\"]}");
        check("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
                "{\"baz\":\"boo\",\"foo\":\"bar\"}");
        check("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
                "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
                "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}");
        check("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}", "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
                "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}");
        check("{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
                "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
                "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}");
        check("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]",
                "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}");
        check("{\"foo\":[\"bar\"]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]",
                "{\"foo\":[\"bar\",[\"abc\",\"def\"]]}");
        check("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10},{\"op\":\"remove\",\"path\":\"/~1\"}]",
                "{\"~1\":10}");
        check("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"b\":2}}]", "{\"b\":2}");
    }

    @Test
    void errorsAre422WithTheReason() {
        assertThatThrownBy(() -> JsonPatch.apply(json("{\"baz\":\"qux\"}"),
                json("[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code).isEqualTo(422)).hasMessageContaining("test failed");
        assertThatThrownBy(() -> JsonPatch.apply(json("{\"foo\":\"bar\"}"),
                json("[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> JsonPatch.apply(json("{\"foo\":[1]}"),
                json("[{\"op\":\"add\",\"path\":\"/foo/5\",\"value\":2}]"))).hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[{\"op\":\"frob\",\"path\":\"/a\"}]")))
                .hasMessageContaining("unknown operation");
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[{\"op\":\"add\",\"path\":\"a\",\"value\":1}]")))
                .hasMessageContaining("not a JSON pointer");
        assertThatThrownBy(() -> JsonPatch.apply(json("{}"), json("[{\"op\":\"add\",\"path\":\"/a\"}]")))
                .hasMessageContaining("has no value");
    }
}
