using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SlimGen.Generator.Model;

/// <summary>
/// A size written as an expression over a block's parameters: integers, parameter names, <c>in</c> (the block's
/// input channels), <c>+ - * /</c> and parentheses. <c>/</c> must divide exactly at each use.
/// </summary>
/// <param name="Tokens">The expression's tokens, as written.</param>
/// <param name="Postfix">The same tokens in evaluation (postfix) order, without parentheses.</param>
internal sealed record Expression(EquatableArray<string> Tokens, EquatableArray<string> Postfix)
{
    /// <summary>The block's input channels inside an expression.</summary>
    public const string InputChannels = "in";

    /// <summary>The expression with single spaces between operators: <c>depth * 4</c>.</summary>
    public string Text => Join(Tokens, token => token);

    /// <summary>C# for the expression in the generated block, where <c>in</c> is the constructor's <c>inChannels</c>.</summary>
    public string Code => Render(token => token == InputChannels ? "inChannels" : token);

    /// <summary>The expression with each name replaced by <paramref name="name"/>'s C# for it (parenthesized when compound).</summary>
    public string Render(System.Func<string, string> name) =>
        Tokens.Count == 1 && IsName(Tokens[0]) ? name(Tokens[0]) : Join(Tokens, token => IsName(token) ? Parenthesized(name(token)) : token);

    private static string Parenthesized(string code) => code.IndexOf(' ') >= 0 ? "(" + code + ")" : code;

    public IEnumerable<string> Names => Tokens.Where(IsName).Distinct();

    /// <summary>Parses <paramref name="text"/>; null with a reason when it is not an expression.</summary>
    public static Expression? Parse(string text, out string? problem)
    {
        problem = null;
        var tokens = Tokenize(text, out problem);
        if (tokens is null) return null;
        var postfix = new List<string>();
        var operators = new Stack<string>();
        bool expectOperand = true;
        foreach (var token in tokens)
        {
            if (IsName(token) || char.IsDigit(token[0]))
            {
                if (!expectOperand) return Fail("two operands follow each other", out problem);
                postfix.Add(token);
                expectOperand = false;
            }
            else if (token == "(")
            {
                if (!expectOperand) return Fail("'(' follows an operand", out problem);
                operators.Push(token);
            }
            else if (token == ")")
            {
                if (expectOperand) return Fail("')' follows an operator", out problem);
                while (operators.Count > 0 && operators.Peek() != "(") postfix.Add(operators.Pop());
                if (operators.Count == 0) return Fail("')' has no '('", out problem);
                operators.Pop();
            }
            else
            {
                if (expectOperand) return Fail($"'{token}' has no left operand", out problem);
                while (operators.Count > 0 && operators.Peek() != "(" && Precedence(operators.Peek()) >= Precedence(token)) postfix.Add(operators.Pop());
                operators.Push(token);
                expectOperand = true;
            }
        }
        if (expectOperand) return Fail(tokens.Count == 0 ? "it is empty" : "it ends with an operator", out problem);
        while (operators.Count > 0)
        {
            var op = operators.Pop();
            if (op == "(") return Fail("'(' is not closed", out problem);
            postfix.Add(op);
        }
        return new Expression(tokens.ToEquatableArray(), postfix.ToEquatableArray());
    }

    /// <summary>The value for the given names; null with a reason when a division is not exact or it overflows.</summary>
    public long? Evaluate(IReadOnlyDictionary<string, long> values, out string? problem)
    {
        problem = null;
        var stack = new Stack<long>();
        foreach (var token in Postfix)
        {
            if (IsName(token))
            {
                if (!values.TryGetValue(token, out var value)) { problem = $"'{token}' has no value"; return null; }
                stack.Push(value);
            }
            else if (char.IsDigit(token[0]))
            {
                if (!long.TryParse(token, out var value)) { problem = $"{token} is too large"; return null; }
                stack.Push(value);
            }
            else
            {
                long right = stack.Pop(), left = stack.Pop();
                try
                {
                    switch (token)
                    {
                        case "+": stack.Push(checked(left + right)); break;
                        case "-": stack.Push(checked(left - right)); break;
                        case "*": stack.Push(checked(left * right)); break;
                        default:
                            if (right == 0 || left % right != 0) { problem = $"{Numbers.Text(left)} / {Numbers.Text(right)} is not a whole number"; return null; }
                            stack.Push(left / right);
                            break;
                    }
                }
                catch (System.OverflowException)
                {
                    problem = "it overflows";
                    return null;
                }
            }
        }
        return stack.Pop();
    }

    public override string ToString() => Text;

    public static bool IsName(string token) => char.IsLetter(token[0]) || token[0] == '_';

    private static Expression? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }

    private static int Precedence(string op) => op is "*" or "/" ? 2 : 1;

    private static List<string>? Tokenize(string text, out string? problem)
    {
        problem = null;
        var tokens = new List<string>();
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
            }
            else if (char.IsDigit(c))
            {
                while (i < text.Length && char.IsDigit(text[i])) i++;
            }
            else if ("+-*/()".IndexOf(c) >= 0)
            {
                i++;
            }
            else
            {
                problem = $"'{c}' is not allowed (use names, whole numbers, + - * / and parentheses)";
                return null;
            }
            tokens.Add(text.Substring(start, i - start));
        }
        return tokens;
    }

    private static string Join(IEnumerable<string> tokens, System.Func<string, string> map)
    {
        var text = new StringBuilder();
        string? previous = null;
        foreach (var token in tokens)
        {
            bool tight = previous is null || previous == "(" || token == ")";
            if (!tight) text.Append(' ');
            text.Append(map(token));
            previous = token;
        }
        return text.ToString();
    }
}
