package io.serendip.runtime.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of malformed and odd request bodies: random JSON of every type, valid bodies
 * with fields swapped for wrong types, and byte-level mutations (truncation, insertion, deletion).
 */
public final class JsonFuzz {
    private static final String[] FIELD_NAMES = {"user", "history", "k", "exploration", "explorationSlots",
        "clusters", "n", "histories", "type", "items", "arm", "id", "explored", "novel", "", "__proto__"};
    private static final String NOISE = "{}[]\",:-0e9\\u\u00e9\u0000 ";
    private final Random random;

    public JsonFuzz(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} bodies derived from the valid examples. */
    public List<String> bodies(List<String> validExamples, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String valid = validExamples.get(random.nextInt(validExamples.size()));
            out.add(switch (random.nextInt(4)) {
                case 0 -> io.vertx.core.json.Json.encode(randomValue(3));
                case 1 -> swapField(new JsonObject(valid));
                case 2 -> mutateBytes(valid);
                default -> randomObject(3).encode();
            });
        }
        return out;
    }

    private String swapField(JsonObject body) {
        List<String> names = new ArrayList<>(body.fieldNames());
        String name = names.isEmpty() || random.nextInt(4) == 0 ? FIELD_NAMES[random.nextInt(FIELD_NAMES.length)]
                : names.get(random.nextInt(names.size()));
        body.put(name, randomValue(2));
        return body.encode();
    }

    private String mutateBytes(String text) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !s.isEmpty(); e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                default -> s.setLength(at);
            }
        }
        return s.toString();
    }

    private Object randomValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20) * (random.nextBoolean() ? 1 : -1);
            case 5 -> "";
            case 6 -> randomString();
            case 7 -> new String[] {"NaN", "-1", "1e309", "m101", "\u202e", "0"}[random.nextInt(6)];
            case 8 -> randomArray(depth - 1);
            default -> randomObject(depth - 1);
        };
    }

    private String randomString() {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(20);
        for (int i = 0; i < length; i++) {
            s.append((char) (random.nextInt(0x3000) + 1));
        }
        return s.toString();
    }

    private JsonArray randomArray(int depth) {
        JsonArray array = new JsonArray();
        int size = random.nextInt(6);
        for (int i = 0; i < size; i++) {
            array.add(randomValue(depth));
        }
        return array;
    }

    private JsonObject randomObject(int depth) {
        JsonObject object = new JsonObject();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            object.put(FIELD_NAMES[random.nextInt(FIELD_NAMES.length)], randomValue(depth));
        }
        return object;
    }
}
