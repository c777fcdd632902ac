package io.wdrf.learned;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes the smallest useful ONNX model, {@code output = input · W + b} (MatMul then Add, float32, opset 13), by
 * hand-encoding the onnx.proto messages. Input shape {@code [N, in]} (N symbolic), output {@code [N, out]}. Used by
 * the onnx plugin tests and by {@code wdrf train} to export the learned weights as a pointwise model.
 */
public final class TinyOnnx {

    private TinyOnnx() {
    }

    /**
     * The model bytes.
     *
     * @param w row-major {@code in × out} weights
     * @param b {@code out} biases
     */
    public static byte[] linear(String input, String output, int in, int out, float[] w, float[] b) {
        if (w.length != in * out || b.length != out) {
            throw new IllegalArgumentException("weights " + w.length + " / biases " + b.length + " do not match " + in
                    + "×" + out);
        }
        Msg graph = new Msg();
        graph.bytes(1, node(new String[]{input, "W"}, new String[]{"xw"}, "matmul", "MatMul"));
        graph.bytes(1, node(new String[]{"xw", "B"}, new String[]{output}, "add", "Add"));
        graph.string(2, "wdrf-linear");
        graph.bytes(5, tensor("W", new long[]{in, out}, w));
        graph.bytes(5, tensor("B", new long[]{out}, b));
        graph.bytes(11, valueInfo(input, in));
        graph.bytes(12, valueInfo(output, out));
        Msg opset = new Msg();
        opset.string(1, "");
        opset.varint(2, 13);
        Msg model = new Msg();
        model.varint(1, 8); // ir_version
        model.string(2, "wdrf");
        model.bytes(7, graph.toBytes());
        model.bytes(8, opset.toBytes());
        return model.toBytes();
    }

    private static byte[] node(String[] inputs, String[] outputs, String name, String op) {
        Msg n = new Msg();
        for (String s : inputs) {
            n.string(1, s);
        }
        for (String s : outputs) {
            n.string(2, s);
        }
        n.string(3, name);
        n.string(4, op);
        return n.toBytes();
    }

    private static byte[] tensor(String name, long[] dims, float[] values) {
        Msg t = new Msg();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, 1); // FLOAT
        t.string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        t.bytes(9, raw.array()); // raw_data
        return t.toBytes();
    }

    private static byte[] valueInfo(String name, int width) {
        Msg batch = new Msg();
        batch.string(2, "N"); // dim_param
        Msg cols = new Msg();
        cols.varint(1, width); // dim_value
        Msg shape = new Msg();
        shape.bytes(1, batch.toBytes());
        shape.bytes(1, cols.toBytes());
        Msg tensorType = new Msg();
        tensorType.varint(1, 1); // elem_type FLOAT
        tensorType.bytes(2, shape.toBytes());
        Msg type = new Msg();
        type.bytes(1, tensorType.toBytes());
        Msg vi = new Msg();
        vi.string(1, name);
        vi.bytes(2, type.toBytes());
        return vi.toBytes();
    }

    /** Protocol-buffer wire format: varint (type 0) and length-delimited (type 2) fields. */
    private static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
        }

        void string(int field, String s) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(int field, byte[] b) {
            raw(((long) field << 3) | 2);
            raw(b.length);
            out.writeBytes(b);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
