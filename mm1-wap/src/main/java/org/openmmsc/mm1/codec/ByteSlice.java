package org.openmmsc.mm1.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable view of a range of a byte array. Decoders hand out slices of their input instead of
 * copying part bodies; callers must therefore not modify an array after decoding it.
 */
public final class ByteSlice {
    public static final ByteSlice EMPTY = new ByteSlice(new byte[0], 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;

    private ByteSlice(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** Wraps without copying; the caller promises not to modify the array afterwards. */
    public static ByteSlice wrap(byte[] array) {
        return new ByteSlice(array, 0, array.length);
    }

    public static ByteSlice wrap(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException("slice " + offset + "+" + length + " outside " + array.length);
        }
        return new ByteSlice(array, offset, length);
    }

    public static ByteSlice copyOf(byte[] bytes) {
        return new ByteSlice(bytes.clone(), 0, bytes.length);
    }

    public static ByteSlice fromHex(String hex) {
        return wrap(HexFormat.of().parseHex(hex));
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public byte get(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return array[offset + index];
    }

    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /** A read-only buffer over the same bytes, for gathering writes without a copy. */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    void copyTo(byte[] target, int targetOffset) {
        System.arraycopy(array, offset, target, targetOffset, length);
    }

    byte[] array() {
        return array;
    }

    int offset() {
        return offset;
    }

    public String toHex() {
        return HexFormat.of().formatHex(array, offset, offset + length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteSlice that
                && Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + array[i];
        }
        return hash;
    }

    @Override
    public String toString() {
        return length <= 32 ? "ByteSlice[" + toHex() + "]" : "ByteSlice[" + length + " bytes]";
    }
}
