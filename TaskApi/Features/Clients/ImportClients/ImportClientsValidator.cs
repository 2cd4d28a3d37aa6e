using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using FluentValidation.Results;

namespace TaskApi.Features.Clients.ImportClients;

/// <summary>
/// An import is stored whole or not at all, so every row is checked first: each failure is named by its row's index
/// and field (<c>[3].phone</c>), as a client fixing the file needs them, and a phone given twice names every row it is in.
/// </summary>
public sealed class ImportClientsValidator : Validator<ImportClientsRequest>
{
    public const int MaxClients = 10_000;

    /// <summary>Room for 10,000 rows of about 400 bytes each; a typical row is under 100.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    private static readonly ClientRules Rules = new();

    // As the rules name it (Extensions.cs camel-cases validation names like JSON).
    private static readonly string PhoneField = JsonNamingPolicy.CamelCase.ConvertName(nameof(ClientRequest.Phone));

    public ImportClientsValidator() => RuleFor(rows => rows).Custom((rows, context) =>
    {
        if (rows.Count is 0 or > MaxClients)
        {
            context.AddFailure(new ValidationFailure("body", $"The body must be an array of 1 to {MaxClients} clients; it has {rows.Count}."));
            return;
        }

        var validPhones = new List<(int Index, string Phone)>();
        for (var index = 0; index < rows.Count; index++)
        {
            if (rows[index] is not { } row)
            {
                context.AddFailure(new ValidationFailure(RowField(index), "Each row must be a client object, not null."));
                continue;
            }
            var failures = Rules.Validate(row).Errors;
            foreach (var failure in failures)
            {
                context.AddFailure(new ValidationFailure(RowField(index, failure.PropertyName), failure.ErrorMessage));
            }
            if (!failures.Any(failure => failure.PropertyName == PhoneField))
            {
                validPhones.Add((index, MobileNumbers.Digits(row.Phone)));
            }
        }

        // Compared as stored, so "+79001234567" and "79001234567" are the same phone.
        foreach (var repeated in validPhones.GroupBy(row => row.Phone).Where(rows => rows.Count() > 1))
        {
            var indexes = string.Join(", ", repeated.Select(row => RowField(row.Index)));
            foreach (var (index, phone) in repeated)
            {
                context.AddFailure(new ValidationFailure(RowField(index, PhoneField), $"The phone {phone} is in rows {indexes}; give each phone once."));
            }
        }
    });

    private static string RowField(int index, string? field = null) => field is null ? $"[{index}]" : $"[{index}].{field}";
}
