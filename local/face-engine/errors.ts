/**
 * Errors of the face engine. Each `name` is the error code Amazon Rekognition puts on the
 * wire, so the local Rekognition emulator can return them unchanged and callers written
 * against the real service catch them the same way.
 */
export class InvalidImageFormatError extends Error {
  override readonly name = 'InvalidImageFormatException';
}

export class ImageTooLargeError extends Error {
  override readonly name = 'ImageTooLargeException';
}

export class InvalidParameterError extends Error {
  override readonly name = 'InvalidParameterException';
}

/** The engine's queue is full; Rekognition answers overload the same way. */
export class ThrottlingError extends Error {
  override readonly name = 'ThrottlingException';
}

/** A worker failed for a reason that is not the caller's input. */
export class InternalServerError extends Error {
  override readonly name = 'InternalServerError';
}

const knownErrors = {
  InvalidImageFormatException: InvalidImageFormatError,
  ImageTooLargeException: ImageTooLargeError,
  InvalidParameterException: InvalidParameterError,
  ThrottlingException: ThrottlingError,
} as const;

/** Rebuilds a typed error from the `{ name, message }` a worker thread posted back. */
export function errorFromWire(wire: { name: string; message: string }): Error {
  const ErrorClass = knownErrors[wire.name as keyof typeof knownErrors];
  return ErrorClass ? new ErrorClass(wire.message) : new InternalServerError(wire.message);
}
