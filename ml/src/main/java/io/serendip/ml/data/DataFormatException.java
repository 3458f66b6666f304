package io.serendip.ml.data;

/** An input data file is malformed; the message names the file, line and field. */
public class DataFormatException extends RuntimeException {
    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
