// Field rules shared by several bodies (docs/protocol.md §2–§4).
import * as v from "valibot";

export const MAX_PASSWORD_CODE_POINTS = 256;

/** 1-256 code points as submitted (before NFKC), any Unicode but no lone surrogates. */
export const Password = v.pipe(
  v.string(),
  v.check((value) => value.isWellFormed(), "must be well-formed Unicode (no lone surrogates)"),
  v.check((value) => {
    const length = [...value].length;
    return length >= 1 && length <= MAX_PASSWORD_CODE_POINTS;
  }, `must be 1 to ${MAX_PASSWORD_CODE_POINTS} characters`),
);

export const Name = v.pipe(
  v.string(),
  v.check((value) => value.isWellFormed() && [...value].length <= 64, "must be at most 64 characters"),
);

/** A token a client got from this service and hands back (verification, sudo): bounded, non-empty. */
export const PresentedToken = v.pipe(v.string(), v.nonEmpty(), v.maxLength(2048));

/** A body that is read (docs/protocol.md §1) and then ignored: any JSON object. */
export const AnyObject = v.looseObject({});
