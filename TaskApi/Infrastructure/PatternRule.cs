using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Validators;

namespace TaskApi.Infrastructure;

public static class PatternRule
{
    /// <summary>
    /// Like FluentValidation's <c>Matches</c> (and likewise written into the OpenAPI schema as <c>pattern</c>), but with
    /// the pattern's <c>$</c> meaning the end of the text, as in JSON Schema: .NET's <c>$</c> also matches before a final
    /// line break, so <c>^[0-9]{3}$</c> would take "900\n".
    /// </summary>
    /// <typeparam name="T">The validated type.</typeparam>
    /// <typeparam name="TText">string or string? (a null is left to other rules, as with <c>Matches</c>).</typeparam>
    public static IRuleBuilderOptions<T, TText> MatchesEntirely<T, TText>(this IRuleBuilder<T, TText> rule, string pattern) =>
        rule.SetValidator(new EntirePatternValidator<T, TText>(pattern));

    private sealed class EntirePatternValidator<T, TText>(string pattern) : PropertyValidator<T, TText>, IRegularExpressionValidator
    {
        private readonly Regex _regex = new($"(?:{pattern})\\z", RegexOptions.CultureInvariant);

        public override string Name => "RegularExpressionValidator";

        public string Expression => pattern;

        public override bool IsValid(ValidationContext<T> context, TText value) => value is not string text || _regex.IsMatch(text);

        protected override string GetDefaultMessageTemplate(string errorCode) => Localized(errorCode, Name);
    }
}
