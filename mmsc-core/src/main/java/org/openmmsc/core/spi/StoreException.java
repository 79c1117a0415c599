package org.openmmsc.core.spi;

/** The store could not do what was asked (I/O error, corruption, closed). Nothing was acknowledged. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
