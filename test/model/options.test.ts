// Numeric command-line options: a finite decimal number in range, or one ModelError naming the option.
import { describe, expect, it } from "vitest";
import { integerOption, numberOption, positiveOption } from "../../src/model/options.js";
import { ModelError } from "../../src/errors.js";

describe("numberOption", () => {
  it("reads decimal numbers, and undefined when absent", () => {
    expect(numberOption(undefined, "--x")).toBeUndefined();
    expect(numberOption("1.5", "--x")).toBe(1.5);
    expect(numberOption(" -2e-3 ", "--x")).toBe(-0.002);
    expect(numberOption(".5", "--x")).toBe(0.5);
    expect(numberOption("+3.", "--x")).toBe(3);
    expect(numberOption("7", "--n", { integer: true, min: 1, max: 10 })).toBe(7);
    expect(numberOption("1e3", "--n", { integer: true })).toBe(1000);
    // A zero written with a large exponent is 0, not an underflow; a subnormal number is kept.
    expect(numberOption("0e-400", "--x")).toBe(0);
    expect(numberOption("-0.000e999", "--x")).toBe(-0);
    expect(numberOption("1e-320", "--x")).toBe(1e-320);
  });

  it("refuses '', text, NaN, Infinity, hexadecimal, out-of-range values: one line naming the option", () => {
    const cases: [string, Parameters<typeof numberOption>[2], string][] = [
      ["", {}, "--x must be a number, got ''"],
      ["   ", {}, "--x must be a number, got ''"],
      ["abc", {}, "--x must be a number, got 'abc'"],
      ["NaN", {}, "--x must be a number, got 'NaN'"],
      ["Infinity", {}, "--x must be a finite number, got 'Infinity'"],
      ["-inf", {}, "--x must be a finite number, got '-inf'"],
      ["1e400", {}, "--x: '1e400' overflows: its magnitude is above the largest double, about 1.8e308"],
      ["-1e400", {}, "--x: '-1e400' overflows: its magnitude is above the largest double, about 1.8e308"],
      [
        "1e-400",
        {},
        "--x: '1e-400' underflows to 0: its magnitude is below the smallest double, about 4.9e-324 (write 0 for 0)",
      ],
      ["0x10", {}, "--x must be a number, got '0x10'"],
      ["0b1", {}, "--x must be a number, got '0b1'"],
      ["1_000", {}, "--x must be a number, got '1_000'"],
      ["3 4", {}, "--x must be a number, got '3 4'"],
      ["0", { above: 0 }, "--x must be a positive number, got '0'"],
      ["-1", { min: 0 }, "--x must be >= 0, got '-1'"],
      ["11", { max: 10, integer: true }, "--x must be an integer <= 10, got '11'"],
      ["0", { min: 1, integer: true }, "--x must be an integer >= 1, got '0'"],
      ["2.5", { integer: true }, "--x must be an integer, got '2.5'"],
      ["1e20", { integer: true }, "--x must be an integer below 2^53, got '1e20'"],
    ];
    for (const [value, range, message] of cases) {
      let err: unknown;
      try {
        numberOption(value, "--x", range);
      } catch (e) {
        err = e;
      }
      expect(err, value).toBeInstanceOf(ModelError);
      expect((err as Error).message, value).toBe(message);
    }
    expect(() => numberOption(true, "--x")).toThrow("--x needs a value");
  });

  it("positiveOption and integerOption keep their messages", () => {
    expect(() => positiveOption("0", "--T1")).toThrow("--T1 must be > 0, got 0");
    expect(() => integerOption("1", "--M", 2)).toThrow("--M must be an integer >= 2, got 1");
    expect(() => integerOption("", "--M", 2)).toThrow("--M must be a number, got ''");
    // beyond 2^53 - 1 the message names that limit, not the lower one the value passes
    expect(() => integerOption("9007199254740993", "--M", 1000)).toThrow(
      "--M must be an integer from 1000 to 9007199254740991 (2^53 - 1, the largest integer a double holds exactly), got 9007199254740993",
    );
    expect(integerOption("9007199254740991", "--M", 1000)).toBe(9007199254740991);
  });
});
