package io.serendip.runtime.router;

import io.serendip.config.ArmSettings;
import io.serendip.config.ConfigValidator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Deterministic user-to-arm assignment: SHA-256 of (salt, user key) picks a bucket in [0, 10000). The arms own
 * consecutive bucket ranges in config order: a treatment arm keeps its reserved basis points (its final weight)
 * and fills them from their start with its current weight, the unfilled rest going to control; control owns
 * its own range. So while weights grow a user moves only from control into a treatment arm, never between
 * treatment arms; with reserved equal to weight this is plain consecutive ranges sized by the weights. The same
 * user, salt and weights give the same arm in every replica and after restarts.
 */
public final class ArmAssigner {
    // One digest per thread (digest() resets it): a lookup of the provider per request showed in profiles.
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(ArmAssigner::sha256);

    private final List<ArmSettings> arms;
    /** The owning arm's index for each bucket: one array read per request. */
    private final byte[] owners = new byte[ConfigValidator.TOTAL_BASIS_POINTS];

    public ArmAssigner(List<ArmSettings> arms) {
        this.arms = List.copyOf(arms);
        int control = -1;
        int weights = 0;
        int treatmentsReserved = 0;
        for (int i = 0; i < arms.size(); i++) {
            ArmSettings arm = arms.get(i);
            weights += arm.weightBasisPoints();
            if (arm.isControl()) {
                control = i;
            } else {
                treatmentsReserved += arm.reservedOrWeight();
            }
        }
        if (weights != ConfigValidator.TOTAL_BASIS_POINTS) {
            throw new IllegalArgumentException("arm weights must sum to 10000 basis points (got " + weights + ")");
        }
        if (control < 0 || arms.size() > Byte.MAX_VALUE || treatmentsReserved > ConfigValidator.TOTAL_BASIS_POINTS) {
            throw new IllegalArgumentException("need one control arm, at most 127 arms, and treatment arms reserving"
                    + " at most 10000 basis points (got " + treatmentsReserved + ")");
        }
        int start = 0;
        for (int i = 0; i < arms.size(); i++) {
            ArmSettings arm = arms.get(i);
            int range = arm.isControl() ? ConfigValidator.TOTAL_BASIS_POINTS - treatmentsReserved : arm.reservedOrWeight();
            if (!arm.isControl() && arm.weightBasisPoints() > range) {
                throw new IllegalArgumentException("arm " + arm.name() + ": weight " + arm.weightBasisPoints()
                        + " exceeds its reserved " + range + " basis points");
            }
            int filled = arm.isControl() ? range : arm.weightBasisPoints();
            java.util.Arrays.fill(owners, start, start + filled, (byte) i);
            java.util.Arrays.fill(owners, start + filled, start + range, (byte) control);
            start += range;
        }
    }

    /** The first 64 bits of SHA-256(salt, 0, user key): the user's bucket comes from it, and it names the user. */
    public static long hash(String salt, String userKey) {
        MessageDigest sha = SHA_256.get();
        sha.update(salt.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(userKey.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** The user's bucket in [0, 10000). */
    public static int bucket(String salt, String userKey) {
        return bucketOf(hash(salt, userKey));
    }

    /** The bucket of a user's {@link #hash}. */
    public static int bucketOf(long hash) {
        return (int) Long.remainderUnsigned(hash, ConfigValidator.TOTAL_BASIS_POINTS);
    }

    /** The arm owning the given bucket. */
    public ArmSettings armForBucket(int bucket) {
        if (bucket < 0 || bucket >= owners.length) {
            throw new IllegalArgumentException("bucket out of range: " + bucket);
        }
        return arms.get(owners[bucket]);
    }

    public ArmSettings assign(String salt, String userKey) {
        return armForBucket(bucket(salt, userKey));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
