using FluentValidation;
using MimeKit;

namespace TaskApi.Infrastructure;

/// <summary>An email address as requests give it: the bare address, as an SMTP server will read it.</summary>
public static class EmailAddresses
{
    /// <summary>RFC 5321's limit of a forward path, brackets aside.</summary>
    public const int MaxLength = 254;

    /// <summary>
    /// True for one bare address (ann@example.com): MimeKit parses it as RFC 5322 does, and nothing else may come with
    /// it: no display name, no second address, no comment.
    /// </summary>
    public static bool IsValid(string? address) =>
        address is { Length: > 0 and <= MaxLength }
        && address.Contains('@')
        && MailboxAddress.TryParse(address, out var mailbox)
        && string.IsNullOrEmpty(mailbox.Name)
        && mailbox.Address == address;

    public static IRuleBuilderOptions<T, string?> MustBeEmailAddress<T>(this IRuleBuilder<T, string?> rule) =>
        // MaximumLength first: FastEndpoints.Swagger writes the last length rule's bounds into the schema.
        rule.MaximumLength(MaxLength)
            .NotEmpty()
            .Must(address => address is not { Length: > 0 and <= MaxLength } || IsValid(address))
            .WithMessage("'{PropertyName}' must be an email address such as ann@example.com.");
}
