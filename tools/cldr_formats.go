// Code generated from CLDR 48.1 (the currency formats of
// github.com/bojanz/currency v1.4.2, data.go); DO NOT EDIT by hand.

package tools

// cldrFormat is the currency format CLDR gives the locale id (language,
// script and territory as newLocaleID writes them), and whether it gives
// one; a locale without one takes its parent's (cldrParent).
func cldrFormat(id string) (numberFormat, bool) {
	switch id {
	case "af", "en-ZA", "es-CR":
		return numberFormat{"¤0.00", "", 1, 3, 3, ",", "\u00a0", "-"}, true
	case "ar":
		return numberFormat{"\u200f0.00\u00a0¤;\u200f-0.00\u00a0¤", "", 1, 3, 3, ".", ",", "\u200e-"}, true
	case "ar-BH", "ar-DJ", "ar-EG", "ar-ER", "ar-IL", "ar-IQ", "ar-JO", "ar-KM", "ar-KW", "ar-LB", "ar-MR", "ar-OM", "ar-PS", "ar-QA", "ar-SA", "ar-SD", "ar-SO", "ar-SS", "ar-SY", "ar-TD", "ar-YE":
		return numberFormat{"\u200f0.00\u00a0¤", arab, 1, 3, 3, "٫", "٬", "\u061c-"}, true
	case "ar-DZ", "ar-LY", "ar-MA", "ar-TN":
		return numberFormat{"\u200f0.00\u00a0¤;\u200f-0.00\u00a0¤", "", 1, 3, 3, ",", ".", "\u200e-"}, true
	case "as":
		return numberFormat{"¤\u00a00.00", beng, 1, 3, 2, ".", ",", "-"}, true
	case "az", "bs", "ca", "da", "de", "dsb", "el", "el-polyton", "en-BE", "en-DE", "en-DK", "en-ES", "en-IT", "en-PL", "en-RO", "en-SI", "fr-LU", "fr-MA", "gl", "hsb", "is", "mk", "ro", "sr", "sr-Latn", "vi":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ",", ".", "-"}, true
	case "ba":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ".", "\u00a0", "-"}, true
	case "be", "bg", "hu", "hy", "ka", "lv", "pl", "pt-PT", "ru-UA", "sq":
		return numberFormat{"0.00\u00a0¤", "", 2, 3, 3, ",", "\u00a0", "-"}, true
	case "bn":
		return numberFormat{"0.00¤", beng, 1, 3, 2, ".", ",", "-"}, true
	case "bn-IN":
		return numberFormat{"¤0.00", beng, 1, 3, 2, ".", ",", "-"}, true
	case "cs", "cv", "en-CZ", "en-EE", "en-FI", "en-HU", "en-LT", "en-LV", "en-NO", "en-PT", "en-SE", "en-SK", "en-UA", "fr-CA", "ht", "kk", "ky", "pt-AO", "ru", "sk", "tk", "uk", "uz":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ",", "\u00a0", "-"}, true
	case "de-AT", "en-AT", "es-AR", "es-CO", "es-UY", "jv", "ms-BN", "pt", "qu-BO", "sw-CD":
		return numberFormat{"¤\u00a00.00", "", 1, 3, 3, ",", ".", "-"}, true
	case "de-CH", "en-CH":
		return numberFormat{"¤\u00a00.00;¤-0.00", "", 1, 3, 3, ".", "'", "-"}, true
	case "de-LI":
		return numberFormat{"¤\u00a00.00", "", 1, 3, 3, ".", "'", "-"}, true
	case "en", "es-419", "es-DO", "pcm", "ti":
		return numberFormat{"¤0.00", "", 1, 3, 3, ".", ",", "-"}, true
	case "en-150":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ".", ",", "-"}, true
	case "en-FR", "en-GE", "fr":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ",", "\u202f", "-"}, true
	case "en-ID", "es-BO", "id", "ms-ID", "tr":
		return numberFormat{"¤0.00", "", 1, 3, 3, ",", ".", "-"}, true
	case "en-IN", "gu", "hi", "hi-Latn", "kok", "pa", "ta", "te":
		return numberFormat{"¤0.00", "", 1, 3, 2, ".", ",", "-"}, true
	case "en-MV", "es-PE", "ha", "kk-Arab", "mn", "qu", "shn", "sw", "ta-MY", "ta-SG":
		return numberFormat{"¤\u00a00.00", "", 1, 3, 3, ".", ",", "-"}, true
	case "en-NL", "es-PY", "nl":
		return numberFormat{"¤\u00a00.00;¤\u00a0-0.00", "", 1, 3, 3, ",", ".", "-"}, true
	case "es", "it":
		return numberFormat{"0.00\u00a0¤", "", 2, 3, 3, ",", ".", "-"}, true
	case "es-CL", "es-EC", "es-VE", "lo":
		return numberFormat{"¤0.00;¤-0.00", "", 1, 3, 3, ",", ".", "-"}, true
	case "es-GQ":
		return numberFormat{"¤0.00", "", 2, 3, 3, ",", ".", "-"}, true
	case "et":
		return numberFormat{"0.00\u00a0¤", "", 2, 3, 3, ",", "\u00a0", "−"}, true
	case "eu", "hr":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ",", ".", "−"}, true
	case "fa":
		return numberFormat{"\u200e¤0.00", arabExt, 1, 3, 3, "٫", "٬", "\u200e−"}, true
	case "fa-AF":
		return numberFormat{"¤\u00a00.00", arabExt, 1, 3, 3, "٫", "٬", "\u200e−"}, true
	case "fi", "lt", "sv":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ",", "\u00a0", "−"}, true
	case "fr-CH":
		return numberFormat{"0.00\u00a0¤", "", 1, 3, 3, ".", "\u202f", "-"}, true
	case "he":
		return numberFormat{"\u200f0.00\u00a0\u200f¤;\u200f-0.00\u00a0\u200f¤", "", 1, 3, 3, ".", ",", "\u200e-"}, true
	case "it-CH":
		return numberFormat{"¤\u00a00.00;¤-0.00", "", 2, 3, 3, ".", "'", "-"}, true
	case "km":
		return numberFormat{"0.00¤", "", 1, 3, 3, ".", ",", "-"}, true
	case "mr":
		return numberFormat{"¤0.00", deva, 1, 3, 3, ".", ",", "-"}, true
	case "my":
		return numberFormat{"0.00\u00a0¤", mymr, 1, 3, 3, ".", ",", "-"}, true
	case "ne":
		return numberFormat{"¤\u00a00.00", deva, 1, 3, 2, ".", ",", "-"}, true
	case "no":
		return numberFormat{"0.00\u00a0¤;-0.00\u00a0¤", "", 1, 3, 3, ",", "\u00a0", "−"}, true
	case "ps":
		return numberFormat{"¤\u00a00.00", arabExt, 1, 3, 3, "٫", "٬", "\u200e-\u200e"}, true
	case "rm":
		return numberFormat{"¤0.00", "", 1, 3, 3, ",", "\u202f", "-"}, true
	case "sd":
		return numberFormat{"0.00\u00a0¤", arab, 1, 3, 3, ".", "٬", "\u061c-"}, true
	case "sl":
		return numberFormat{"0.00\u00a0¤", "", 2, 3, 3, ",", ".", "−"}, true
	case "ur":
		return numberFormat{"¤0.00", "", 1, 3, 3, ".", ",", "\u200e-"}, true
	case "ur-IN":
		return numberFormat{"¤0.00", arabExt, 1, 3, 3, "٫", "٬", "\u200e-\u200e"}, true
	}
	return numberFormat{}, false
}
