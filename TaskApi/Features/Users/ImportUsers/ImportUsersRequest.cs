using FastEndpoints;
using FluentValidation;
using TaskApi.Infrastructure;

namespace TaskApi.Features.Users.ImportUsers;

/// <summary>The JSON body of <c>POST /users/import</c>: 1 to 10,000 users, each its id and the fields of <c>PUT /users/{userId}</c>.</summary>
public sealed class ImportUsersRequest : List<ImportUserRow>;

/// <summary>One user of an import.</summary>
public sealed class ImportUserRow : UserRequest
{
    /// <summary>The user's id in the integrating product: 1 to 128 characters, no control characters, no '/'; once per import.</summary>
    public string UserId { get; set; } = null!;
}

/// <summary>The rules of one row: the id's and those of <c>PUT /users/{userId}</c>.</summary>
public sealed class ImportUserRowRules : AbstractValidator<ImportUserRow>
{
    public ImportUserRowRules()
    {
        RuleFor(r => r.UserId).MustBeUserId();
        Include(new UserRules());
    }
}

/// <summary>Every row by the rules of <c>PUT /users/{userId}</c>; an id given again is named by its first row.</summary>
public sealed class ImportUsersValidator : Validator<ImportUsersRequest>
{
    public const int MaxUsers = 10_000;

    /// <summary>Room for 10,000 rows of about 800 bytes each, every field at its longest; a typical row is under 200.</summary>
    public const int MaxRequestBytes = 8 * 1024 * 1024;

    private static readonly ImportRules<ImportUserRow> Rules = new(MaxUsers, "user", new ImportUserRowRules(),
        // As the rules name it (Extensions.cs camel-cases validation names like JSON).
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(nameof(ImportUserRow.UserId)),
        // Ids are compared exactly, as stored: "Ana" and "ana" are two users.
        row => row.UserId);

    public ImportUsersValidator() => RuleFor(rows => rows).Custom(Rules.Check);
}

/// <summary>What an import did.</summary>
/// <param name="Created">Rows whose id was new: users created.</param>
/// <param name="Updated">Rows whose id a user had: that user's fields replaced.</param>
public sealed record ImportUsersResponse(int Created, int Updated);
