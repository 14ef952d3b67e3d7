/** A short, safe rendering of a value for error messages (never throws, never huge). */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
    case "bigint":
      return `${value}n`;
    case "function":
      return `function ${value.name || "(anonymous)"}`;
    case "symbol":
      return value.toString();
    case "object": {
      if (value === null) return "null";
      if (value instanceof Date)
        return `Date(${Number.isNaN(value.getTime()) ? "Invalid" : value.toISOString()})`;
      if (Array.isArray(value)) return `an array of ${value.length}`;
      const name = Object.getPrototypeOf(value)?.constructor?.name;
      return name && name !== "Object" ? `a ${name}` : "an object";
    }
    default:
      return String(value);
  }
}
