package io.serendip.runtime.storage;

/** An object-store operation that failed, with a message that names the cause a user can fix. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
