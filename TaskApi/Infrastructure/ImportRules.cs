using FluentValidation;
using FluentValidation.Results;

namespace TaskApi.Infrastructure;

/// <summary>
/// The checks of an import that is stored whole or not at all, so every row is checked first: each failure is named
/// by its row's index and field (<c>[3].phone</c>), as a caller fixing the file needs them, and a key given twice
/// (compared as stored) names every row it is in.
/// </summary>
/// <param name="maxRows">The most rows one import may have.</param>
/// <param name="rowNoun">What a row is, in the singular ("client"); messages add an "s" for the plural.</param>
/// <param name="rowRules">The rules of one row.</param>
/// <param name="keyField">The row's field that must be unique in an import, as the rules name it ("phone").</param>
/// <param name="keyOf">That field as stored, for a row whose field passed the rules.</param>
public sealed class ImportRules<TRow>(int maxRows, string rowNoun, IValidator<TRow> rowRules, string keyField, Func<TRow, string> keyOf)
{
    /// <summary>Adds a failure to <paramref name="context"/> for every invalid row and every repeated key.</summary>
    public void Check<T>(IReadOnlyList<TRow?>? rows, ValidationContext<T> context)
    {
        // A JSON null body is no rows.
        if (rows is null || rows.Count == 0 || rows.Count > maxRows)
        {
            context.AddFailure(new ValidationFailure("body", $"The body must be an array of 1 to {maxRows} {rowNoun}s; it has {rows?.Count ?? 0}."));
            return;
        }

        var validKeys = new List<(int Index, string Key)>();
        for (var index = 0; index < rows.Count; index++)
        {
            if (rows[index] is not { } row)
            {
                context.AddFailure(new ValidationFailure(RowField(index), $"Each row must be a {rowNoun} object, not null."));
                continue;
            }
            var failures = rowRules.Validate(row).Errors;
            foreach (var failure in failures)
            {
                context.AddFailure(new ValidationFailure(RowField(index, failure.PropertyName), failure.ErrorMessage));
            }
            if (!failures.Any(failure => failure.PropertyName == keyField))
            {
                validKeys.Add((index, keyOf(row)));
            }
        }

        foreach (var repeated in validKeys.GroupBy(row => row.Key, StringComparer.Ordinal).Where(rows => rows.Count() > 1))
        {
            var indexes = string.Join(", ", repeated.Select(row => RowField(row.Index)));
            foreach (var (index, key) in repeated)
            {
                context.AddFailure(new ValidationFailure(RowField(index, keyField), $"The {keyField} {key} is in rows {indexes}; give each {keyField} once."));
            }
        }
    }

    private static string RowField(int index, string? field = null) => field is null ? $"[{index}]" : $"[{index}].{field}";
}
