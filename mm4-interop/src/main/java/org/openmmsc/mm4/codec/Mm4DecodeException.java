package org.openmmsc.mm4.codec;

/** An MM4 message could not be understood; the reason says which header or part is wrong. */
public final class Mm4DecodeException extends Exception {
    public Mm4DecodeException(String reason) {
        super(reason);
    }

    public Mm4DecodeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
