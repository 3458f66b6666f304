package io.serendip.ml.data;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes JSON Lines files of records; a bad line is reported with its file and line number. */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonLines() {
    }

    static <T> List<T> read(Path file, Class<T> type) throws IOException {
        ObjectReader reader = JSON.readerFor(type);
        List<T> result = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    result.add(reader.readValue(line));
                } catch (IOException e) {
                    Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
                    throw new DataFormatException(file + ":" + lineNumber + ": " + firstLine(cause.getMessage()), e);
                }
            }
        }
        return result;
    }

    static <T> void write(Path file, Iterable<T> records) throws IOException {
        ObjectWriter writer = JSON.writer();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (T record : records) {
                out.write(writer.writeValueAsString(record));
                out.newLine();
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid record";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
