using FluentValidation;
using FluentValidation.Results;

namespace TaskApi.Infrastructure;

/// <summary>
/// The checks of an import that is stored whole or not at all, so every row is checked first: each failure is named
/// by its row's index and field (<c>[3].phone</c>), as a caller fixing the file needs them, and a key given again
/// (compared as stored) is named at each later row by its first occurrence. Linear in the rows: one pass, one
/// dictionary, and at most <see cref="MaxListedFailures"/> failures listed, so 10,000 hostile rows cost milliseconds and
/// a small answer.
/// </summary>
/// <param name="maxRows">The most rows one import may have.</param>
/// <param name="rowNoun">What a row is, in the singular ("client"); messages add an "s" for the plural.</param>
/// <param name="rowRules">The rules of one row.</param>
/// <param name="keyField">The row's field that must be unique in an import, as the rules name it ("phone").</param>
/// <param name="keyOf">That field as stored, for a row whose field passed the rules.</param>
public sealed class ImportRules<TRow>(int maxRows, string rowNoun, IValidator<TRow> rowRules, string keyField, Func<TRow, string> keyOf)
{
    /// <summary>The most failures one answer lists; a "body" failure then says how many more there are.</summary>
    public const int MaxListedFailures = 1_000;

    /// <summary>Adds a failure to <paramref name="context"/> for every invalid row and every repeated key.</summary>
    public void Check<T>(IReadOnlyList<TRow?>? rows, ValidationContext<T> context)
    {
        // A JSON null body is no rows.
        if (rows is null || rows.Count == 0 || rows.Count > maxRows)
        {
            context.AddFailure(new ValidationFailure("body", $"The body must be an array of 1 to {maxRows} {rowNoun}s; it has {rows?.Count ?? 0}."));
            return;
        }

        var listed = 0;
        var unlisted = 0;
        var firstRowOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < rows.Count; index++)
        {
            if (rows[index] is not { } row)
            {
                Add(RowField(index), $"Each row must be a {rowNoun} object, not null.");
                continue;
            }
            var failures = rowRules.Validate(row).Errors;
            foreach (var failure in failures)
            {
                Add(RowField(index, failure.PropertyName), failure.ErrorMessage);
            }
            if (failures.Any(failure => failure.PropertyName == keyField))
            {
                continue;
            }
            var key = keyOf(row);
            if (!firstRowOfKey.TryAdd(key, index))
            {
                Add(RowField(index, keyField), $"The {keyField} duplicates row {RowField(firstRowOfKey[key])}; give each {keyField} once.");
            }
        }
        if (unlisted > 0)
        {
            context.AddFailure(new ValidationFailure("body", $"{unlisted} more failures are not listed; the first {MaxListedFailures} are."));
        }

        void Add(string field, string message)
        {
            if (listed++ < MaxListedFailures)
            {
                context.AddFailure(new ValidationFailure(field, message));
            }
            else
            {
                unlisted++;
            }
        }
    }

    private static string RowField(int index, string? field = null) => field is null ? $"[{index}]" : $"[{index}].{field}";
}
