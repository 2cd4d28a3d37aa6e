using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Clients.ImportClients;

/// <summary>Every row by the rules of <c>POST /clients</c>; a phone given again (with or without its '+') is named by its first row.</summary>
public sealed class ImportClientsValidator : Validator<ImportClientsRequest>
{
    public const int MaxClients = 10_000;

    /// <summary>Room for 10,000 rows of about 400 bytes each; a typical row is under 100.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    private static readonly ImportRules<ClientRequest> Rules = new(MaxClients, "client", new ClientRules(),
        // As the rules name it (Extensions.cs camel-cases validation names like JSON).
        JsonNamingPolicy.CamelCase.ConvertName(nameof(ClientRequest.Phone)),
        // Compared as stored, so "+79001234567" and "79001234567" are the same phone.
        row => MobileNumbers.Digits(row.Phone));

    public ImportClientsValidator() => RuleFor(rows => rows).Custom(Rules.Check);
}
