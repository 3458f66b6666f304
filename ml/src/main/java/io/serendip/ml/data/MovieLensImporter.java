package io.serendip.ml.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imports MovieLens-100K ({@code u.item}, {@code u.genre}, {@code u.data}): the title becomes the title, title and
 * genres the text, genres the tags; every rating becomes a rated interaction (ratings >= 4 count as positive).
 */
public final class MovieLensImporter {
    /** The files are Latin-1 encoded. */
    private static final Charset ENCODING = StandardCharsets.ISO_8859_1;
    private static final int GENRE_COLUMNS_START = 5;

    private MovieLensImporter() {
    }

    public static Dataset importFrom(Path dir) throws IOException {
        List<String> genres = readGenres(dir.resolve("u.genre"));
        Catalog catalog = readItems(dir.resolve("u.item"), genres);
        List<Interaction> ratings = readRatings(dir.resolve("u.data"));
        return new Dataset(catalog, ratings);
    }

    static List<String> readGenres(Path file) throws IOException {
        Map<Integer, String> byIndex = new TreeMap<>();
        for (String line : Files.readAllLines(requireFile(file), ENCODING)) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\\|");
            if (fields.length != 2) {
                throw new DataFormatException(file + ": expected 'name|index', got '" + line + "'");
            }
            byIndex.put(Integer.parseInt(fields[1].strip()), fields[0].strip());
        }
        return List.copyOf(byIndex.values());
    }

    static Catalog readItems(Path file, List<String> genres) throws IOException {
        List<CatalogItem> items = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(requireFile(file), ENCODING)) {
            int lineNumber = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\\|", -1);
                if (fields.length != GENRE_COLUMNS_START + genres.size()) {
                    throw new DataFormatException(file + ":" + lineNumber + ": expected "
                            + (GENRE_COLUMNS_START + genres.size()) + " fields, got " + fields.length);
                }
                List<String> tags = new ArrayList<>();
                for (int g = 0; g < genres.size(); g++) {
                    if (fields[GENRE_COLUMNS_START + g].equals("1") && !genres.get(g).equals("unknown")) {
                        tags.add(genres.get(g));
                    }
                }
                String title = fields[1].strip();
                String text = tags.isEmpty() ? title : title + ". " + String.join(", ", tags);
                items.add(new CatalogItem(fields[0].strip(), title, text, tags));
            }
        }
        return new Catalog(items);
    }

    static List<Interaction> readRatings(Path file) throws IOException {
        List<Interaction> ratings = new ArrayList<>(100_000);
        try (BufferedReader in = Files.newBufferedReader(requireFile(file), ENCODING)) {
            int lineNumber = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 4) {
                    throw new DataFormatException(file + ":" + lineNumber + ": expected user, item, rating, timestamp");
                }
                try {
                    ratings.add(Interaction.rated(fields[0], fields[1], Long.parseLong(fields[3].strip()),
                            Double.parseDouble(fields[2])));
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file + ":" + lineNumber + ": " + e.getMessage(), e);
                }
            }
        }
        return ratings;
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException("MovieLens file " + file + " not found");
        }
        return file;
    }
}
