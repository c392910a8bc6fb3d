package org.arcgrad.autodiff;

/** Axis permutations as {@link Op#PERMUTE} takes them: output axis i is input axis perm[i]. */
public final class Permutation {
    private Permutation() {
    }

    /** Whether {@code perm} lists each of 0 .. rank − 1 once. */
    static boolean isPermutation(int[] perm, int rank) {
        if (perm.length != rank) {
            return false;
        }
        boolean[] seen = new boolean[rank];
        for (int p : perm) {
            if (p < 0 || p >= rank || seen[p]) {
                return false;
            }
            seen[p] = true;
        }
        return true;
    }

    /** The permutation that undoes {@code perm}. */
    public static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }
}
