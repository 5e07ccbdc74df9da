"""The entity names a PII rule may ask for, known without building presidio's analyzer.

Validating a policy must not cost presidio's import (with spaCy, about a second): these lists
are written out, and a test checks them against the registry of the installed presidio, so an
upgrade that adds or drops a recognizer fails the test rather than a user's policy.
"""

from __future__ import annotations

DEFAULT_ENTITIES: frozenset[str] = frozenset(
    {
        "CREDIT_CARD",
        "CRYPTO",
        "DATE_TIME",
        "EMAIL_ADDRESS",
        "IBAN_CODE",
        "IP_ADDRESS",
        "MAC_ADDRESS",
        "MEDICAL_LICENSE",
        "PHONE_NUMBER",
        "UK_NHS",
        "URL",
        "US_BANK_NUMBER",
        "US_DRIVER_LICENSE",
        "US_ITIN",
        "US_PASSPORT",
        "US_SSN",
        "UUID",
    }
)
"""What the default offline analyzer (`no_op` NLP engine) finds."""

COUNTRY_ENTITIES: frozenset[str] = frozenset(
    {
        "ABA_ROUTING_NUMBER",
        "AU_ABN",
        "AU_ACN",
        "AU_MEDICARE",
        "AU_TFN",
        "CA_POSTAL_CODE",
        "CA_SIN",
        "DE_BSNR",
        "DE_FUEHRERSCHEIN",
        "DE_HANDELSREGISTER",
        "DE_HEALTH_INSURANCE",
        "DE_ID_CARD",
        "DE_KFZ",
        "DE_LANR",
        "DE_PASSPORT",
        "DE_PLZ",
        "DE_SOCIAL_SECURITY",
        "DE_TAX_ID",
        "DE_TAX_NUMBER",
        "DE_VAT_ID",
        "ES_NIE",
        "ES_NIF",
        "ES_PASSPORT",
        "FI_PERSONAL_IDENTITY_CODE",
        "IN_AADHAAR",
        "IN_GSTIN",
        "IN_PAN",
        "IN_PASSPORT",
        "IN_VEHICLE_REGISTRATION",
        "IN_VOTER",
        "IT_DRIVER_LICENSE",
        "IT_FISCAL_CODE",
        "IT_IDENTITY_CARD",
        "IT_PASSPORT",
        "IT_VAT_CODE",
        "KR_BRN",
        "KR_DRIVER_LICENSE",
        "KR_FRN",
        "KR_PASSPORT",
        "KR_RRN",
        "NG_NIN",
        "NG_VEHICLE_REGISTRATION",
        "PH_PASSPORT",
        "PH_TIN",
        "PH_UMID",
        "PL_PESEL",
        "SE_ORGANISATIONSNUMMER",
        "SE_PERSONNUMMER",
        "SG_NRIC_FIN",
        "SG_UEN",
        "TH_TNIN",
        "TR_LICENSE_PLATE",
        "TR_NATIONAL_ID",
        "UK_DRIVING_LICENCE",
        "UK_NINO",
        "UK_PASSPORT",
        "UK_POSTCODE",
        "UK_VEHICLE_REGISTRATION",
        "US_CLAIM_NUMBER",
        "US_HEALTH_INSURANCE_MEMBER_ID",
        "US_MBI",
        "US_NPI",
        "US_PRESCRIPTION_NUMBER",
        "US_PRIOR_AUTHORIZATION_NUMBER",
        "US_PROVIDER_TAX_ID",
        "US_REFERRAL_NUMBER",
        "ZA_COMPANY_REGISTRATION",
        "ZA_DRIVER_LICENSE",
        "ZA_ID_NUMBER",
        "ZA_INCOME_TAX_NUMBER",
        "ZA_LICENSE_PLATE",
        "ZA_PASSPORT",
        "ZA_TRAFFIC_REGISTER_NUMBER",
        "ZA_VAT_NUMBER",
    }
)
"""What presidio's predefined pattern recognizers that are not loaded by default find
(country-specific identifiers): added to the analyzer when a rule asks for them."""

NER_ENTITIES: frozenset[str] = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})
"""Entities only a NER model finds; the `no_op` engine cannot."""

KNOWN_ENTITIES: frozenset[str] = DEFAULT_ENTITIES | COUNTRY_ENTITIES | NER_ENTITIES
"""Every entity name a rule may ask for."""
