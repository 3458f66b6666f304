package io.serendip.runtime.storage;

import io.serendip.config.ArtifactTransfers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A pod's side of artifacts kept in an object store: before its process, the storage initializer downloads what it
 * reads; while a Job runs, its checkpoints are uploaded as they change, so a pod that replaces an evicted one resumes;
 * when it ends, its outputs are uploaded (on success) and its checkpoints kept or removed as the job left them.
 */
public final class ArtifactSync implements AutoCloseable {
    private final ObjectStore store;
    private final ArtifactTransfers transfers;
    private final PrintWriter log;
    private final Map<String, FileTime> uploaded = new HashMap<>();
    private ScheduledExecutorService checkpointing;

    public ArtifactSync(ObjectStore store, ArtifactTransfers transfers, PrintWriter log) {
        this.store = store;
        this.transfers = transfers;
        this.log = log;
    }

    /** The storage initializer's work: every input (required) and any checkpoint left by an earlier pod. */
    public void downloadInputs() {
        for (String input : transfers.inputs()) {
            say("downloaded " + store.download(input, true) + " file(s) of " + input + " from "
                    + store.location().uriOf(store.location().keyOf(store.root(), input)));
        }
        for (String optional : transfers.optionalInputs()) {
            int files = store.download(optional, false);
            if (files > 0) {
                say("downloaded " + optional + ": a retried pod resumes from it");
            }
        }
    }

    /** Uploads checkpoints whenever they change, every {@code period}, until {@link #finish}. */
    public void startCheckpointing(long period, TimeUnit unit) {
        if (transfers.checkpoints().isEmpty()) {
            return;
        }
        checkpointing = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "checkpoint-upload");
            t.setDaemon(true);
            return t;
        });
        checkpointing.scheduleWithFixedDelay(() -> {
            try {
                uploadChangedCheckpoints();
            } catch (RuntimeException e) {
                say("checkpoint upload failed, retrying at the next change: " + e.getMessage());
            }
        }, period, period, unit);
    }

    /** Removes from the store what the job deletes (before the job runs; a retry deletes again, which is harmless). */
    public void deleteRetired() {
        for (String path : transfers.deletions()) {
            say("deleted " + store.delete(path) + " object(s) of " + path);
        }
    }

    /**
     * What the store keeps once the job's process has exited with {@code exitCode}: on success its outputs; in every
     * case its checkpoints as the job left them (kept when it was stopped, removed when it published or gave up).
     */
    public void finish(int exitCode) {
        stopCheckpointing();
        if (exitCode == 0) {
            for (String output : transfers.outputs()) {
                say("uploaded " + store.upload(output) + " file(s) of " + output);
            }
        }
        for (String checkpoint : transfers.checkpoints()) {
            if (Files.exists(Path.of(checkpoint))) {
                uploadIfChanged(checkpoint);
            } else if (store.delete(checkpoint) > 0) {
                say("removed checkpoint " + checkpoint + " from the store");
            }
        }
    }

    private void uploadChangedCheckpoints() {
        transfers.checkpoints().forEach(this::uploadIfChanged);
    }

    /** Uploads the file unless the store already has this version of it (same modification time). */
    private synchronized void uploadIfChanged(String path) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(Path.of(path));
        } catch (IOException e) {
            return; // not written yet, or deleted meanwhile
        }
        if (!modified.equals(uploaded.get(path))) {
            store.upload(path);
            uploaded.put(path, modified);
            say("uploaded checkpoint " + path);
        }
    }

    private void stopCheckpointing() {
        if (checkpointing != null) {
            checkpointing.shutdownNow();
            try {
                checkpointing.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            checkpointing = null;
        }
    }

    private void say(String line) {
        log.println("[storage] " + line);
        log.flush();
    }

    @Override
    public void close() {
        stopCheckpointing();
        store.close();
    }
}
