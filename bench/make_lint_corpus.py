"""Write the labelled lint corpus under tests/fixtures/lint-corpus/ (run from the checkout).

    python bench/make_lint_corpus.py

The clean items are in `lint_corpus_clean.py`; each flawed case below is one clean item (its
`base`, by index) with one flaw written in, in its own words, so a finding on it is either the
flaw or a false alarm. `manifest.csv` labels every file with its flaw kind (not a rule code:
`bench/lint_corpus.py` maps kinds to codes) and where the flaw is. The `banks/` folders are
small banks for the bank-wide kinds (key balance, key runs...), each linted as a bank of its own.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from lint_corpus_clean import CLEAN

ROOT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lint-corpus"
LETTERS = "ABCD"
# Items whose options are in a natural order (numbers, series, names): never re-keyed.
ORDERED = {5, 10, 11, 17, 29, 36, 38, 39, 40, 41, 42, 45, 47, 48, 58, 61, 67, 68}

Case = tuple[str, int, dict[str, Any], str]

# (kind, base, changes, location). changes: stem, options (a full list), answer, swap ({old option:
# new option}), rationale ("{option text}" is that option's letter), references, level, status,
# suppress, trail (spaces after the line that starts so).
CASES: list[Case] = [
    # --- the stem --------------------------------------------------------------------------------
    (
        "statement-stem",
        7,
        {
            "stem": "The document stating the standards of conduct that members of a professional "
            "association agree to follow."
        },
        "stem",
    ),
    (
        "statement-stem",
        26,
        {
            "stem": "A clinic files paper charts by the last two digits of the record number, then the "
            "middle two, then the first two. The filing system it uses is called"
        },
        "stem",
    ),
    (
        "statement-stem",
        43,
        {"stem": "Identify the term for the money a practice owes its suppliers for goods bought on credit."},
        "stem",
    ),
    (
        "statement-stem",
        52,
        {
            "stem": "A practice wants to know which staff members opened a celebrity patient's record. "
            "Select the safeguard that answers that:"
        },
        "stem",
    ),
    (
        "which-is-true-lead-in",
        5,
        {
            "stem": "Which of the following is true about a patient's right of access under the HIPAA Privacy Rule?",
            "options": [
                "Access may be denied for unpaid bills",
                "The entity must act within 30 days",
                "Copies are free of charge",
                "Requests may be made by phone alone",
            ],
            "answer": "B",
        },
        "stem",
    ),
    (
        "which-is-true-lead-in",
        12,
        {
            "stem": "Which statement about sterilization is correct?",
            "options": [
                "It kills spores as well as bacteria",
                "It is the same as sanitization",
                "It is done with soap and water",
                "It leaves viruses alive",
            ],
            "answer": "A",
        },
        "stem",
    ),
    (
        "which-is-true-lead-in",
        40,
        {
            "stem": "What is true regarding Medicare's deadline for filing claims?",
            "options": [
                "It is 90 days from the service",
                "It is 6 months from the service",
                "It is 1 year from the service",
                "It is 2 years from the service",
            ],
            "answer": "C",
        },
        "stem",
    ),
    (
        "which-is-true-lead-in",
        32,
        {
            "stem": "Which of these statements is accurate about the minimum necessary standard?",
            "options": [
                "It limits payment disclosures to what is needed",
                "It requires a signed form for every disclosure",
                "It lets staff read any record they wish",
                "It ends when the patient dies",
            ],
            "answer": "A",
        },
        "stem",
    ),
    (
        "negative-lead-in",
        12,
        {
            "stem": "Which of these processes does not kill bacterial spores?",
            "options": ["Steam autoclaving", "Dry-heat sterilization", "Hand sanitizing", "Ethylene oxide gas"],
            "answer": "C",
            "rationale": "Hand sanitizing lowers the count of bacteria on the skin but leaves spores; the other three "
            "are ways of sterilizing.",
        },
        "stem",
    ),
    (
        "negative-lead-in",
        20,
        {
            "stem": "A new patient arrives for her first visit. Under HIPAA, which of these is the front desk not "
            "required to do?",
            "options": [
                "Give her the Notice of Privacy Practices",
                "Try to get her written acknowledgment of it",
                "Have her authorize disclosures for treatment",
                "Post the notice where she can read it",
            ],
            "answer": "C",
            "rationale": "Disclosures for treatment need no authorization; giving the notice, trying to get an "
            "acknowledgment and posting it are required.",
            "references": ["45 CFR 164.506(b)", "45 CFR 164.520(c)(2)"],
        },
        "stem",
    ),
    (
        "negative-lead-in",
        54,
        {
            "stem": "Which of these measures is least related to the technical safeguards of the HIPAA Security Rule?",
            "options": ["Audit controls", "Automatic logoff", "Locked server room", "Encryption"],
            "answer": "C",
            "rationale": "A locked server room is a physical safeguard; audit controls, automatic logoff and "
            "encryption are technical ones.",
            "references": ["45 CFR 164.310(a)(1)", "45 CFR 164.312"],
        },
        "stem",
    ),
    (
        "negative-lead-in",
        32,
        {
            "stem": "Under HIPAA, the minimum necessary standard applies to every kind of disclosure except which one?",
            "options": [
                "Disclosures for payment",
                "Disclosures to a physician for treatment",
                "Disclosures for health care operations",
                "Disclosures to a business associate",
            ],
            "answer": "B",
            "rationale": "Disclosures to a provider for treatment are exempt, so the treating "
            "physician sees the whole record.",
        },
        "stem",
    ),
    (
        "options-repeat-opening",
        9,
        {
            "options": [
                "Correct it by blacking out the note",
                "Correct it by deleting the note",
                "Correct it by striking one line through it",
                "Correct it by tearing out the page",
            ],
            "answer": "C",
        },
        "options.A",
    ),
    (
        "options-repeat-opening",
        19,
        {
            "options": [
                "The front desk documents the no-show",
                "The front desk discharges her",
                "The front desk bills her insurer",
                "The front desk drops her from the schedule",
            ],
            "answer": "A",
        },
        "options.A",
    ),
    (
        "options-repeat-opening",
        44,
        {
            "options": [
                "Send her an itemized statement",
                "Send her an aging report",
                "Send her a day sheet",
                "Send her a deposit slip",
            ],
            "answer": "A",
        },
        "options.A",
    ),
    (
        "options-repeat-opening",
        63,
        {
            "options": [
                "Keep it in the patient's medical record",
                "Keep it in the risk management file",
                "Keep it with the patient's claim",
                "Keep it on the staff bulletin board",
            ],
            "answer": "B",
        },
        "options.A",
    ),
    (
        "stem-too-long",
        18,
        {
            "stem": (
                "Cedar Valley Family Practice opened a second office last spring in a renovated bank building across from "
                "the county courthouse, and the new office shares its phone lines, its billing staff and its two part-time "
                "physician assistants with the main office. The manager, who came from a hospital outpatient department, "
                "has been reviewing how the day is laid out after several patients complained on a survey about the noise "
                "in the waiting room, which has eighteen chairs, a television and a children's corner. The physicians "
                "agreed last month to book two patients at 9:00, two at 9:30 and two at 10:00, and to see them in the "
                "order they arrive, with the medical assistants rooming whoever is next. Which scheduling method is the "
                "office using?"
            )
        },
        "stem",
    ),
    (
        "stem-too-long",
        48,
        {
            "stem": (
                "Maria Okafor is a non-exempt receptionist at a busy pediatric practice that is open six days a week and "
                "stays open late on Tuesdays and Thursdays for working parents. She is paid $18.00 an hour, she is not in "
                "a union, and the practice's workweek runs from Sunday through Saturday. During the first week of the flu "
                "season two of her coworkers were out sick, the phones rang constantly, and the office manager asked her "
                "to stay late on three evenings and to come in for four hours on Saturday morning to help with a "
                "vaccination clinic. Her time records, which she checked and signed on Monday, show that she worked 44 "
                "hours in that workweek, with no paid leave and no holidays. Under the Fair Labor Standards Act, what is "
                "her gross pay for the week?"
            )
        },
        "stem",
    ),
    (
        "stem-too-long",
        33,
        {
            "stem": (
                "A 34-year-old graphic designer calls the office the week before her first appointment because she changed "
                "jobs in January and is still learning how her new health insurance works. She explains that her old plan "
                "let her see any doctor she liked, but that her new employer offers only one plan and that the booklet "
                "she received is long and confusing. She has read that she must pick a primary care physician from the "
                "plan's list, that she needs that physician's referral before she sees a dermatologist about a mole, and "
                "that if she chooses to see a doctor outside the network the plan will still pay part of the bill, though "
                "she will pay more herself. She wants to know what kind of plan this is before she books. Which kind of "
                "plan does she have?"
            )
        },
        "stem",
    ),
    # --- the options -------------------------------------------------------------------------------
    ("all-of-the-above", 13, {"swap": {"Shoe covers": "All of the above"}}, "options"),
    ("all-of-the-above", 53, {"swap": {"Brute force": "All of these"}}, "options"),
    (
        "all-of-the-above",
        31,
        {
            "options": ["Copying labor", "Postage", "Supplies for the copies", "Any of the above"],
            "answer": "D",
            "rationale": "A cost-based fee may include copying labor, supplies and postage when "
            "the patient asks for mailing.",
        },
        "options.D",
    ),
    ("all-of-the-above", 62, {"swap": {"In a recapped syringe tray": "Each of the above is acceptable"}}, "options"),
    ("none-of-the-above", 2, {"swap": {"Midsagittal plane": "None of the above"}}, "options"),
    ("none-of-the-above", 46, {"swap": {"Qualified endorsement": "None of these"}}, "options"),
    ("none-of-the-above", 23, {"swap": {"Casual listening": "No answer is correct"}}, "options"),
    (
        "none-of-the-above",
        57,
        {
            "options": ["The date", "The subject line", "The body", "None is correct"],
            "answer": "D",
            "rationale": "A memo keeps the date, the subject line and the body; it leaves out "
            "the inside address, which is not offered.",
        },
        "options.D",
    ),
    ("combination-option", 54, {"swap": {"Organizational": "Both A and C"}}, "options"),
    (
        "combination-option",
        16,
        {
            "swap": {"Intradermal": "A and B"},
            "rationale": "Sublingual means under the tongue; buccal is between cheek and gum and transdermal is "
            "through the skin by patch.",
        },
        "options",
    ),
    ("combination-option", 35, {"swap": {"Form UB-04": "A, B and C"}}, "options"),
    ("combination-option", 25, {"swap": {"A poison control center": "Either A or B"}}, "options"),
    (
        "duplicate-options",
        43,
        {
            "swap": {"Owner's equity": "Accounts Payable"},
            "rationale": "Amounts owed to suppliers are payables; unearned revenue is owed to patients who paid "
            "ahead, and petty cash is an asset.",
        },
        "options",
    ),
    ("duplicate-options", 56, {"swap": {"Memorandum": "The agenda"}}, "options"),
    ("duplicate-options", 26, {"swap": {"Subject filing": "Terminal Digit"}}, "options"),
    ("near-identical-options", 30, {"swap": {"A fee paid in advance": "Valid signed authorizations"}}, "options"),
    ("near-identical-options", 64, {"swap": {"The payroll register": "Purchase orders"}}, "options"),
    (
        "near-identical-options",
        9,
        {
            "swap": {
                "Tear out the page and rewrite it on a new page": "Strikes one line through it, then dates and initials"
            }
        },
        "options",
    ),
    (
        "absolute-term",
        19,
        {"swap": {"Discharge her from the practice": "Always discharge her from the practice"}},
        "options",
    ),
    ("absolute-term", 13, {"swap": {"A lab coat": "A lab coat in all cases"}}, "options"),
    ("absolute-term", 44, {"swap": {"An aging report": "Only an aging report"}}, "options"),
    ("absolute-term", 62, {"swap": {"In the regular trash": "In the trash, never recapped"}}, "options"),
    (
        "vague-frequency",
        6,
        {"swap": {"Call the office manager to the desk": "Usually call the office manager to the desk"}},
        "options",
    ),
    ("vague-frequency", 55, {"swap": {"A fax server": "A fax server, as is often done"}}, "options"),
    ("vague-frequency", 63, {"swap": {"With the patient's claim": "With the claim, as is commonly done"}}, "options"),
    (
        "option-length-imbalance",
        60,
        {"swap": {"Form SS-4": "Form SS-4, the application for an employer identification number"}},
        "options",
    ),
    (
        "option-length-imbalance",
        2,
        {"swap": {"Transverse plane": "The transverse plane that cuts across the body at the waist"}},
        "options",
    ),
    (
        "option-length-imbalance",
        56,
        {"swap": {"Minutes": "Minutes of the previous meeting as approved by the board members"}},
        "options",
    ),
    ("numeric-order", 5, {"options": ["30 days", "10 days", "60 days", "45 days"], "answer": "A"}, "options"),
    ("numeric-order", 58, {"options": ["60", "20", "80", "40"], "answer": "A"}, "options"),
    ("numeric-order", 48, {"options": ["$828.00", "$720.00", "$1,188.00", "$792.00"], "answer": "A"}, "options"),
    ("numeric-order", 40, {"options": ["1 year", "90 days", "2 years", "6 months"], "answer": "A"}, "options"),
    (
        "overlapping-ranges",
        45,
        {
            "options": ["0-30 days", "30-60 days", "60-90 days", "Over 90 days"],
            "answer": "D",
            "rationale": "Ninety-five days since billing falls beyond the 90-day column.",
        },
        "options",
    ),
    (
        "overlapping-ranges",
        40,
        {"options": ["0 to 6 months", "6 to 12 months", "12 to 18 months", "18 to 24 months"], "answer": "B"},
        "options",
    ),
    (
        "overlapping-ranges",
        39,
        {
            "options": ["$0 to $150", "$150 to $200", "$200 to $250", "$250 to $320"],
            "answer": "B",
            "stem": "A patient's deductible of $150 is unmet, and her plan pays 80% after it. The "
            "allowed amount for a visit is $400. In which band does the plan's payment fall?",
        },
        "options",
    ),
    ("mixed-number-formats", 48, {"options": ["$720", "$792.00", "$828.00", "$1,188.00"], "answer": "C"}, "options"),
    ("mixed-number-formats", 47, {"options": ["$3,950", "4,450", "$4,550", "$4,800"], "answer": "B"}, "options"),
    ("mixed-number-formats", 39, {"options": ["$150.00", "$200.00", "250", "$320.00"], "answer": "B"}, "options"),
    ("mixed-number-formats", 5, {"options": ["10 days", "30", "45 days", "60 days"], "answer": "B"}, "options"),
    (
        "non-parallel-options",
        9,
        {
            "options": [
                "Black out the note and write the new one over it.",
                "Delete the note and enter it in the right record",
                "Strike one line through it, then date and initial.",
                "Tear out the page and rewrite it on a new page",
            ],
            "answer": "C",
        },
        "options",
    ),
    (
        "non-parallel-options",
        57,
        {"options": ["The date", "The subject line", "the inside address", "The body"], "answer": "C"},
        "options",
    ),
    (
        "non-parallel-options",
        22,
        {
            "options": [
                "Having him show you how he uses it.",
                "A question check",
                "Giving him a printed leaflet",
                "Speaking more slowly and loudly",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "paired-options",
        37,
        {"options": ["CPT Category I", "HCPCS Level II", "ICD-10-PCS", "HCPCS Level I"], "answer": "B"},
        "options",
    ),
    (
        "paired-options",
        26,
        {"options": ["Straight numeric", "Terminal digit", "Alphabetic", "Middle digit"], "answer": "B"},
        "options",
    ),
    (
        "paired-options",
        52,
        {"options": ["Audit controls", "Data backup", "Access controls", "Automatic logoff"], "answer": "A"},
        "options",
    ),
    (
        "paired-options",
        35,
        {
            "options": [
                "Advance Beneficiary Notice",
                "Notice of Privacy Practices",
                "Advance Coverage Notice",
                "Form UB-04",
            ],
            "answer": "A",
        },
        "options",
    ),
    # --- cues --------------------------------------------------------------------------------------
    (
        "key-longest",
        6,
        {
            "swap": {
                "Listen and acknowledge her concern": "Listen closely and acknowledge her concern before offering any solution"
            }
        },
        "options",
    ),
    (
        "key-longest",
        30,
        {"swap": {"A valid signed authorization": "An authorization signed by the patient that names the attorney"}},
        "options",
    ),
    ("key-longest", 53, {"swap": {"Phishing": "Phishing, a fake message that asks for credentials"}}, "options"),
    (
        "key-longest",
        62,
        {"swap": {"In a sharps container": "In a closable, puncture-resistant, labeled sharps container"}},
        "options",
    ),
    (
        "grammatical-cue",
        28,
        {
            "stem": "A physician takes a paper chart from the file room. In its place the clerk puts an",
            "options": ["sticky note", "out guide", "copy of the chart", "blank folder"],
            "answer": "B",
        },
        "stem",
    ),
    (
        "grammatical-cue",
        55,
        {
            "stem": "To send claims to many payers through one connection that checks them for errors "
            "first, a clinic uses a",
            "options": ["clearinghouse", "electronic portal", "interface engine", "open ledger"],
            "answer": "A",
        },
        "stem",
    ),
    (
        "grammatical-cue",
        27,
        {
            "stem": "A health record kept partly on paper and partly in electronic form is an example of a",
            "options": ["hybrid record", "electronic record", "integrated record", "open record"],
            "answer": "A",
        },
        "stem",
    ),
    (
        "stem-word-echo",
        30,
        {
            "stem": "Which document authorizes the office to send a patient's records to the lawyer "
            "handling her lawsuit?"
        },
        "options",
    ),
    (
        "stem-word-echo",
        44,
        {
            "stem": "A patient disputes her balance and asks for a statement that lists each charge. "
            "What should the specialist send her?"
        },
        "options",
    ),
    (
        "stem-word-echo",
        64,
        {
            "stem": "A box of syringes arrives. Which record of what the office ordered should the "
            "specialist check it against?",
            "swap": {"The purchase order": "The purchase order"},
        },
        "options",
    ),
    (
        "absolute-hedge-cue",
        30,
        {
            "options": [
                "The attorney's card is always enough",
                "A valid signed authorization",
                "Verbal approval alone is enough",
                "Nothing in all cases",
            ],
            "answer": "B",
        },
        "options",
    ),
    (
        "absolute-hedge-cue",
        63,
        {
            "options": [
                "Always in the patient's record",
                "Probably in a risk management file",
                "With the claim in every case",
                "On the bulletin board",
            ],
            "answer": "B",
        },
        "options",
    ),
    (
        "absolute-hedge-cue",
        21,
        {
            "options": [
                "Never in the main seating area",
                "Where she may wait with a clear path",
                "Behind the reception counter",
                "Only in the break room",
            ],
            "answer": "B",
        },
        "options",
    ),
    (
        "convergence",
        54,
        {
            "options": [
                "Physical facility safeguard",
                "Physical workstation policy",
                "Technical facility control",
                "Administrative safeguard review",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "convergence",
        30,
        {
            "options": [
                "Signed patient authorization",
                "Signed attorney request",
                "Verbal patient approval",
                "Written authorization waiver",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "convergence",
        13,
        {
            "options": [
                "Disposable exam gloves",
                "Disposable shoe covers",
                "Reusable exam apron",
                "Cotton glove liners",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "opposite-pair",
        35,
        {
            "stem": "When should a Medicare patient sign the ABN for a test that Medicare will likely deny?",
            "options": [
                "Before the test is done",
                "After the test is done",
                "When the denial arrives",
                "At her next annual visit",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "opposite-pair",
        37,
        {
            "stem": "Which services does ICD-10-PCS code?",
            "options": [
                "Inpatient hospital procedures",
                "Outpatient hospital procedures",
                "Physician office visits",
                "Ambulance transports",
            ],
            "answer": "A",
            "rationale": "PCS was built for procedures in inpatient hospital stays; office and outpatient "
            "services use CPT and HCPCS.",
        },
        "options",
    ),
    (
        "opposite-pair",
        13,
        {
            "options": [
                "Gloves before touching the spill",
                "Gloves after touching the spill",
                "A mask before entering the room",
                "Shoe covers at the door",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "word-form-echo",
        22,
        {
            "stem": "A medical assistant teaches a patient to use a new inhaler, then asks him to explain "
            "the steps back to her. Which method is she using?",
            "options": ["Teach-back", "Motivational interviewing", "Open questioning", "Active listening"],
            "answer": "A",
            "rationale": "Having the patient say in his own words what he will do checks what he understood; the "
            "other methods do not ask him to show it.",
        },
        "options",
    ),
    (
        "word-form-echo",
        60,
        {
            "stem": "A new hire must show that she is eligible to work in the United States. Which form records this?",
            "options": [
                "Withholding certificate (W-4)",
                "Eligibility verification (I-9)",
                "Wage statement (W-2)",
                "EIN application (SS-4)",
            ],
            "answer": "B",
        },
        "options",
    ),
    (
        "word-form-echo",
        4,
        {
            "stem": "A medical assistant tells a friend at dinner private facts about a neighbor's clinic "
            "visit for depression. Which wrong has the assistant most clearly committed?"
        },
        "options",
    ),
    (
        "word-form-echo",
        46,
        {
            "stem": 'The office stamps "For deposit only" on a patient\'s check, which restricts what can be '
            "done with it. What kind of endorsement is that?"
        },
        "options",
    ),
    (
        "stem-defines-key",
        3,
        {
            "stem": "A patient rolls up her sleeve and holds out her arm when the medical assistant says "
            "it is time for her flu shot. What type of consent has she given by her actions?"
        },
        "stem",
    ),
    (
        "stem-defines-key",
        33,
        {
            "stem": "A patient's employer moved him to a high-deductible plan. He wants an account funded "
            "with pre-tax money that he owns and keeps if he changes jobs. Which account fits?",
            "options": [
                "Dependent care account",
                "Health reimbursement arrangement",
                "Health savings account",
                "Flexible spending account",
            ],
            "answer": "C",
            "rationale": "Only a high-deductible plan opens an HSA, which the employee owns and takes with him.",
            "references": ["26 U.S.C. 223(c)(1)"],
        },
        "stem",
    ),
    (
        "stem-defines-key",
        27,
        {
            "stem": "A clinic keeps its records in a mixed form, partly on paper and partly electronic. "
            "What is this kind of record called?",
            "level": "application",
        },
        "stem",
    ),
    (
        "stem-defines-key",
        56,
        {
            "stem": "The manager sends staff, before the meeting, the list of topics in the order they "
            "will be taken up, so everyone can prepare. What is this document called?",
            "level": "application",
        },
        "stem",
    ),
    # --- hygiene -----------------------------------------------------------------------------------
    ("rationale-explains-nothing", 0, {"rationale": "{-ectomy} is correct."}, "rationale"),
    ("rationale-explains-nothing", 20, {"rationale": "See the reference."}, "rationale"),
    ("rationale-explains-nothing", 41, {"rationale": "Correct answer: Item 21."}, "rationale"),
    ("rationale-explains-nothing", 58, {"rationale": "Because that is the rule."}, "rationale"),
    (
        "rationale-argues-other-option",
        41,
        {"rationale": "Item 24 holds the diagnosis codes, each linked to its service line by a pointer."},
        "rationale",
    ),
    (
        "rationale-argues-other-option",
        58,
        {"rationale": "Twenty boxes a week for two weeks of delivery is forty boxes, which covers the wait."},
        "rationale",
    ),
    (
        "rationale-argues-other-option",
        11,
        {"rationale": "Dividing 68 by 2.2 gives about 31, the weight the form asks for."},
        "rationale",
    ),
    (
        "rationale-skips-one-distractor",
        16,
        {
            "rationale": "Sublingual ({Sublingual}) means under the tongue. Buccal ({Buccal}) is between "
            "cheek and gum, and transdermal ({Transdermal}) is a patch on the skin."
        },
        "rationale",
    ),
    (
        "rationale-skips-one-distractor",
        12,
        {
            "rationale": "Sterilization ({Sterilization}) kills spores too. Sanitization ({Sanitization}) only lowers "
            "counts and disinfection ({Disinfection}) leaves spores."
        },
        "rationale",
    ),
    (
        "rationale-skips-one-distractor",
        56,
        {
            "rationale": "An agenda ({Agenda}) plans the meeting in advance. Minutes ({Minutes}) record "
            "it afterwards, and bylaws ({Bylaws}) govern the organization."
        },
        "rationale",
    ),
    ("missing-reference", 1, {"references": []}, "references"),
    ("missing-reference", 24, {"references": []}, "references"),
    ("missing-reference", 50, {"references": []}, "references"),
    ("uncheckable-reference", 2, {"references": ["textbook"]}, "references.0"),
    ("uncheckable-reference", 17, {"references": ["Google"]}, "references.0"),
    ("uncheckable-reference", 34, {"references": ["Wikipedia, Coordination of benefits"]}, "references.0"),
    ("uncheckable-reference", 65, {"references": ["TBD"]}, "references.0"),
    (
        "patient-identifier",
        30,
        {
            "stem": "An attorney asks for the records of Dana Whitfield, SSN 219-44-8812, for a lawsuit "
            "she has filed. What must the office have before it sends them?"
        },
        "stem",
    ),
    (
        "patient-identifier",
        19,
        {
            "stem": "A patient misses her appointment without calling; her chart lists her cell phone "
            "as (312) 648-2291. What should the front desk do first?"
        },
        "stem",
    ),
    (
        "patient-identifier",
        44,
        {
            "stem": "Dana Pereira, DOB 04/12/1986, disputes her balance and asks how it arose. What "
            "should the specialist send her?"
        },
        "stem",
    ),
    (
        "patient-identifier",
        25,
        {
            "stem": "A caregiver writes from mkeller.home@gmail.com asking where she can get help as she "
            "cares for her father, who has Alzheimer disease. Which resource fits her need?"
        },
        "stem",
    ),
    ("trailing-whitespace", 8, {"trail": "answer"}, "answer"),
    ("trailing-whitespace", 31, {"trail": "domain"}, "domain"),
    ("trailing-whitespace", 49, {"trail": "  - "}, "references.0"),
    (
        "doubled-spaces",
        14,
        {"stem": "A patient is coming in for a pelvic examination. In which position will she  most likely be placed?"},
        "stem",
    ),
    ("doubled-spaces", 36, {"swap": {"5 to 8": "5 to  8"}}, "options"),
    (
        "doubled-spaces",
        66,
        {
            "rationale": "Trying a change on a small scale, studying the results and then acting on them "
            "is  the PDSA cycle."
        },
        "rationale",
    ),
    (
        "mixed-quotes",
        46,
        {
            "rationale": "Limiting the check to deposit into one account restricts what can be done with "
            "it; the clinic’s endorsement is restrictive."
        },
        "rationale",
    ),
    (
        "mixed-quotes",
        25,
        {
            "stem": "A caregiver asks where she can get help as she cares for her father, who has "
            "Alzheimer’s disease. Which resource fits her need?"
        },
        "stem",
    ),
    (
        "mixed-quotes",
        21,
        {
            "stem": "A patient who uses a wheelchair arrives; the sign says the waiting room is “full,” and "
            'she asks, "Where can I wait?" Where should the receptionist seat her?'
        },
        "stem",
    ),
    (
        "unbalanced-brackets",
        17,
        {
            "rationale": "Schedule II drugs (high abuse potential but an accepted use; Schedule I has "
            "no accepted use and IV and V have lower abuse potential."
        },
        "rationale",
    ),
    (
        "unbalanced-brackets",
        42,
        {
            "stem": "A practice using the accrual method sees a patient in March and is paid in May "
            "(by the insurer. In which month does it record the revenue?"
        },
        "stem",
    ),
    (
        "unbalanced-brackets",
        61,
        {"rationale": "Exposure records outlast the job by thirty years [because infections can appear much later."},
        "rationale",
    ),
    (
        "confusable-characters",
        23,
        {"stem": "Which type of listening involves restаting what the speaker said to check understanding?"},
        "stem",
    ),
    ("confusable-characters", 51, {"swap": {"CPU cache": "CPU c\u200bache"}}, "options"),
    (
        "confusable-characters",
        59,
        {
            "rationale": "Asking about the аbility to do the job is allowed before an offer; "
            "questions that may reveal a disability are not."
        },
        "rationale",
    ),
    (
        "superseded-reference",
        36,
        {"references": ["ICD-10-CM Official Guidelines for Coding and Reporting FY2025, sec. I.A.1"]},
        "references.0",
    ),
    (
        "superseded-reference",
        9,
        {"references": ["Kinn's The Administrative Medical Assistant, 14th ed., ch. 12"]},
        "references.0",
    ),
    (
        "superseded-reference",
        56,
        {"references": ["Robert's Rules of Order Newly Revised, 11th ed., sec. 41"]},
        "references.0",
    ),
    ("superseded-reference", 0, {"references": ["Chabner, The Language of Medicine, 11th ed., ch. 1"]}, "references.0"),
    (
        "reference-without-locator",
        18,
        {"references": ["Kinn's The Administrative Medical Assistant, 15th ed."]},
        "references.0",
    ),
    ("reference-without-locator", 3, {"references": ["Fremgen, Medical Law and Ethics, 6th ed."]}, "references.0"),
    (
        "reference-without-locator",
        26,
        {"references": ["Green and Bowie, Essentials of Health Information Management"]},
        "references.0",
    ),
    (
        "reference-without-locator",
        44,
        {"references": ["Booth, Whicker and Wyman, Medical Assisting, 7th ed."]},
        "references.0",
    ),
    ("recall-labelled-application", 0, {"level": "application"}, "cognitive_level"),
    ("recall-labelled-application", 23, {"level": "analysis"}, "cognitive_level"),
    ("recall-labelled-application", 36, {"level": "application"}, "cognitive_level"),
    ("recall-labelled-application", 60, {"level": "analysis"}, "cognitive_level"),
    # --- suppressions ------------------------------------------------------------------------------
    (
        "stale-suppression",
        7,
        {"suppress": {"IW301": "The key is the full name of the code, which is long by nature."}},
        "suppress.IW301",
    ),
    (
        "stale-suppression",
        31,
        {"suppress": {"IW206": "The option quotes the regulation, which says all costs."}},
        "suppress.IW206",
    ),
    (
        "stale-suppression",
        64,
        {"suppress": {"IW303": "The stem must name the order, which the key repeats."}},
        "suppress.IW303",
    ),
    (
        "suppression-of-unknown-code",
        10,
        {"suppress": {"IW299": "The ranges are the published reference ranges."}},
        "suppress.IW299",
    ),
    (
        "suppression-of-unknown-code",
        40,
        {"suppress": {"IW601": "Filing deadlines are stated in the rule's own words."}},
        "suppress.IW601",
    ),
    (
        "suppression-of-unknown-code",
        52,
        {"suppress": {"IW150": "This item is reviewed by the security lead."}},
        "suppress.IW150",
    ),
    (
        "suppression-without-reason",
        6,
        {
            "swap": {
                "Listen and acknowledge her concern": "Listen closely and acknowledge her concern before offering any solution"
            },
            "suppress": {"IW301": "ok"},
        },
        "suppress.IW301",
    ),
    (
        "suppression-without-reason",
        19,
        {
            "swap": {"Discharge her from the practice": "Always discharge her from the practice"},
            "suppress": {"IW206": "-"},
        },
        "suppress.IW206",
    ),
    (
        "suppression-without-reason",
        13,
        {"swap": {"Shoe covers": "All of the above"}, "suppress": {"IW201": "fine"}},
        "suppress.IW201",
    ),
]


# --- issue 15, recall on unseen wording (helper m1) ---------------------------------------------
# More wordings of the kinds whose recall did not carry over to the held-out corpus, written for
# this corpus: synonyms, moved words, initials, equal amounts; grammatical forms; convergence
# stars; opposites by negation, prefix or one word; word forms; references to options; number
# notations. Their clean near-misses are the last ten items of lint_corpus_clean.py (69-78).
ORDERED_M1 = {72, 73, 74}  # ordered options, never re-keyed (kept out of ORDERED: its keys are counted first)
_REFUSAL = "A patient refuses the flu shot her physician recommended. What should the medical assistant do?"
_REFUSAL_RATIONALE = (
    "A competent adult may refuse, and the refusal is recorded in her chart; the other choices are false, unlawful "
    "or punish her for refusing."
)
_PPE = (
    "A medical assistant will wipe up urine that splashed from a specimen cup onto the counter. What should she wear?"
)
_PPE_RATIONALE = (
    "A splash of body fluid calls for gloves and eye protection; sterile gloves are not needed for a clean-up, a "
    "gown does not protect the hands and a mask does not protect the eyes."
)
_DOSE_RATIONALE = "Half of a 1 mg per mL vial's strength is wanted, so the volume is half a milliliter."
CASES += [
    # near-identical options: a synonym, a frequency said two ways, equal amounts, initials, a compound
    (
        "near-identical-options",
        77,
        {
            "options": [
                "Record the refusal in her chart",
                "Document the refusal in her chart",
                "Give the shot as ordered",
                "Cancel her next visit",
            ],
            "answer": "A",
            "rationale": _REFUSAL_RATIONALE,
        },
        "options",
    ),
    (
        "near-identical-options",
        72,
        {
            "stem": "A patient is told to take her antibiotic tablets for 14 days. How long is the course?",
            "level": "recall",
            "options": ["1 week", "2 weeks", "14 days", "3 weeks"],
            "answer": "B",
            "rationale": "Fourteen days is two weeks; one week stops too soon and three weeks runs too long.",
        },
        "options",
    ),
    (
        "near-identical-options",
        13,
        {
            "stem": "Under the OSHA bloodborne pathogens standard, how often must an employer review its exposure "
            "control plan?",
            "level": "recall",
            "options": ["Once a year", "Every two years", "Annually", "Every five years"],
            "answer": "A",
            "rationale": "The plan is reviewed and updated at least once a year; two or five years is too seldom.",
            "references": ["29 CFR 1910.1030(c)(1)(iv)"],
        },
        "options",
    ),
    (
        "near-identical-options",
        76,
        {
            "stem": "After a claim is processed, which document from the payer shows what it paid and what the "
            "patient still owes?",
            "options": ["Explanation of benefits", "EOB", "Superbill from the visit", "Encounter form"],
            "answer": "A",
            "rationale": "The payer's explanation of benefits lists the allowed amount, the payment and the "
            "patient's share; the superbill and encounter form are the practice's own forms.",
        },
        "options",
    ),
    (
        "near-identical-options",
        69,
        {
            "stem": "Which document names the person who makes medical decisions for a patient when she is "
            "unconscious?",
            "level": "recall",
            "options": ["Health care proxy", "Healthcare proxy", "Living will", "Organ donor card"],
            "answer": "A",
            "rationale": "A health care proxy names the decision-maker; a living will states wishes without "
            "naming anyone, and a donor card covers donation only.",
        },
        "options",
    ),
    # non-parallel options: a form unlike the other three
    (
        "non-parallel-options",
        77,
        {
            "options": [
                "Record the refusal in her chart",
                "Tell her the shot is required",
                "Give the shot as ordered",
                "A note to her physician",
            ],
            "answer": "A",
            "rationale": _REFUSAL_RATIONALE,
        },
        "options",
    ),
    (
        "non-parallel-options",
        77,
        {
            "options": [
                "Recording the refusal in her chart",
                "Telling her the shot is required",
                "Giving the shot as ordered",
                "Cancel her next visit",
            ],
            "answer": "A",
            "rationale": _REFUSAL_RATIONALE,
        },
        "options",
    ),
    (
        "non-parallel-options",
        75,
        {
            "options": [
                "Read the forms aloud and record her answers",
                "Ask her to take the forms home",
                "Ask a relative in the waiting room to fill them in",
                "To call her family for help",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "non-parallel-options",
        77,
        {
            "options": [
                "She records the refusal in her chart",
                "She tells her the shot is required",
                "She gives the shot as ordered",
                "Cancel her next visit",
            ],
            "answer": "A",
            "rationale": _REFUSAL_RATIONALE,
        },
        "options",
    ),
    # convergence: the distractors each change one element of the key
    (
        "convergence",
        69,
        {
            "options": [
                "Written consent from the patient",
                "Written consent from her parents",
                "Verbal consent from the patient",
                "Written permission from the patient",
            ],
            "answer": "A",
        },
        "options",
    ),
    (
        "convergence",
        13,
        {
            "stem": _PPE,
            "options": [
                "Disposable gloves and goggles",
                "Disposable gloves and a mask",
                "Sterile gloves and goggles",
                "A disposable gown and goggles",
            ],
            "answer": "A",
            "rationale": _PPE_RATIONALE,
            "references": ["29 CFR 1910.1030(d)(3)(i)"],
        },
        "options",
    ),
    (
        "convergence",
        72,
        {
            "options": ["5 mL by mouth", "10 mL by mouth", "5 mL by injection", "5 mL in each ear"],
            "answer": "A",
            "rationale": "The dose equals the strength on the label, 5 mL, and liquid amoxicillin is given by mouth.",
        },
        "options",
    ),
    (
        "convergence",
        6,
        {
            "options": [
                "Listen calmly and apologize for the wait",
                "Listen calmly and explain the schedule",
                "Ignore her and apologize for the wait",
                "Listen calmly and call the manager",
            ],
            "answer": "A",
            "rationale": "Listening without interrupting and apologizing for the delay calms her; explaining, "
            "ignoring her or passing her on does not acknowledge her concern.",
        },
        "options",
    ),
    (
        "convergence",
        71,
        {
            "stem": "A patient with high blood pressure asks how to change his diet. Which change does the "
            "practice's handout advise?",
            "options": [
                "Less sodium, more potassium",
                "Less sodium, more calcium",
                "Less sugar, more potassium",
                "Less sodium, more fiber",
            ],
            "answer": "A",
            "rationale": "Cutting sodium and eating more potassium both lower blood pressure; calcium, sugar and "
            "fiber matter to health but are not the handout's two changes for pressure.",
            "references": ["NHLBI, DASH Eating Plan (nhlbi.nih.gov), sec. 'Following the DASH eating plan'"],
        },
        "options",
    ),
    # opposite pairs: one-word, negation with "does not", a prefix, verbs of change
    (
        "opposite-pair",
        71,
        {
            "stem": "A patient's fasting blood glucose is 240 mg/dL. Which term describes this result?",
            "options": ["Hyperglycemia", "Hypoglycemia", "Hypertension", "Anemia"],
            "answer": "A",
            "rationale": "A fasting glucose far above normal is hyperglycemia; hypoglycemia is low glucose, "
            "hypertension high blood pressure and anemia a low red cell count.",
        },
        "options",
    ),
    (
        "opposite-pair",
        76,
        {
            "stem": "A patient with Original Medicare wants to see a dermatologist. What does Original Medicare "
            "ask of her before the visit?",
            "options": [
                "It does not require a referral",
                "It requires a referral",
                "It requires prior authorization",
                "It requires a copay in advance",
            ],
            "answer": "A",
            "rationale": "Original Medicare has no referral or prior authorization step for a specialist visit, "
            "and copays are not collected in advance under it.",
        },
        "options",
    ),
    (
        "opposite-pair",
        73,
        {
            "stem": "A payer sent $180 on a claim whose allowed amount was $120. What does the practice have?",
            "options": ["An overpayment", "An underpayment", "A denial", "A write-off"],
            "answer": "A",
            "rationale": "Receiving more than the allowed amount is an overpayment to be refunded; nothing was "
            "underpaid, denied or written off.",
        },
        "options",
    ),
    (
        "opposite-pair",
        77,
        {
            "stem": "A patient's blood pressure stays high on her current dose, and the physician wants better "
            "control. Which order is the physician most likely to give?",
            "options": ["Increase the dose", "Reduce the dose", "Stop the medicine", "Recheck it next year"],
            "answer": "A",
            "rationale": "A dose that does not control the pressure is raised; lowering or stopping it, or waiting "
            "a year, leaves the pressure high.",
        },
        "options",
    ),
    # stem words echoed in the key in another form
    (
        "stem-word-echo",
        77,
        {
            "stem": "Which document authorizes the practice to share a patient's records with her employer?",
            "level": "recall",
            "options": ["A signed authorization", "A court order", "A subpoena", "A business associate agreement"],
            "answer": "A",
            "rationale": "Sharing with an employer needs the patient's signed authorization; a court order or "
            "subpoena compels disclosure in court, and a business associate agreement binds a vendor.",
        },
        "options",
    ),
    (
        "stem-word-echo",
        76,
        {
            "stem": "Before a new patient's first visit, the front desk calls her insurer to verify that her plan "
            "is active. What is this step called?",
            "options": [
                "Eligibility verification",
                "Precertification",
                "Coordination of benefits",
                "Claim scrubbing",
            ],
            "answer": "A",
            "rationale": "Confirming active coverage is the eligibility check; precertification approves a "
            "service, coordination of benefits orders payers and scrubbing checks a claim.",
        },
        "options",
    ),
    (
        "stem-word-echo",
        74,
        {
            "stem": "The physician wants to see how a wound is healing and asks the scheduler to book a follow up "
            "two weeks from now. What does the scheduler book?",
            "options": ["A follow-up visit", "A walk-in slot", "A consultation", "A physical exam"],
            "answer": "A",
            "rationale": "A return visit to check progress on a known problem is booked as its own visit type; "
            "she is not new, needs no consultation and is not urgent.",
        },
        "options",
    ),
    # options that combine other options, in other words
    ("combination-option", 13, {"swap": {"Shoe covers": "A & B"}}, "options"),
    ("combination-option", 13, {"swap": {"A lab coat": "Options A and B together"}}, "options"),
    ("combination-option", 13, {"swap": {"A surgical mask": "B plus C"}}, "options"),
    (
        "combination-option",
        72,
        {
            "stem": "A complete medication entry in the chart holds: 1. the drug name; 2. the dose; 3. the route. "
            "Which of them must it hold?",
            "options": ["1 and 2", "2 and 3", "1 and 3", "1, 2 and 3"],
            "answer": "D",
            "rationale": "An entry needs the drug, the dose and the route together; any two of them leave the "
            "order incomplete.",
        },
        "options",
    ),
    # "all of the above" in other words
    ("all-of-the-above", 13, {"swap": {"Shoe covers": "All three"}}, "options"),
    ("all-of-the-above", 13, {"swap": {"A lab coat": "All apply"}}, "options"),
    # numbers written unlike the others
    (
        "mixed-number-formats",
        76,
        {
            "stem": "Once the Part B deductible is met, what share of the approved amount does Medicare usually "
            "pay for an outpatient service?",
            "options": ["50%", "70 percent", "80%", "100%"],
            "answer": "C",
            "rationale": "Part B pays 80% of the approved amount after the deductible and the patient owes 20% "
            "coinsurance.",
        },
        "options",
    ),
    (
        "mixed-number-formats",
        72,
        {
            "stem": "An order calls for 0.5 mg of a drug, and the vial holds 1 mg per mL. How much does the "
            "assistant draw up?",
            "options": ["0.25 mL", ".5 mL", "0.75 mL", "1 mL"],
            "answer": "B",
            "rationale": _DOSE_RATIONALE,
        },
        "options",
    ),
    (
        "mixed-number-formats",
        74,
        {"options": ["8:00 AM", "8:15 AM", "08:30", "9:00 AM"], "answer": "C"},
        "options",
    ),
    (
        "mixed-number-formats",
        76,
        {
            "stem": "A payer must receive claims within 90 days of the visit. By which date must the claim for a "
            "January 5, 2026 visit arrive?",
            "options": ["April 4, 2026", "April 5, 2026", "4/6/2026", "April 30, 2026"],
            "answer": "B",
            "rationale": "Ninety days after January 5 is April 5: 26 days left in January, 28 in February, 31 in "
            "March and 5 in April.",
        },
        "options",
    ),
    # ranges that share a value, written with "+" and symbols
    (
        "overlapping-ranges",
        73,
        {"options": ["0-30 days", "31-60 days", "61-90 days", "90+ days"], "answer": "D"},
        "options",
    ),
    (
        "overlapping-ranges",
        73,
        {"options": ["≤ 30 days", "30-60 days", "61-90 days", "Over 90 days"], "answer": "D"},
        "options",
    ),
    # patient identifiers written other ways
    (
        "patient-identifier",
        75,
        {
            "stem": "Rosa Almeida calls from 312 555 8841 and says she cannot read the intake forms. What should "
            "the front desk do for her?"
        },
        "stem",
    ),
    (
        "patient-identifier",
        75,
        {
            "stem": "Rosa Almeida gives her SSN as 481223907 and says she cannot read the intake forms. What "
            "should the front desk do for her?"
        },
        "stem",
    ),
    (
        "patient-identifier",
        75,
        {
            "stem": "Mrs. Almeida (DOB 7/9/58) says she cannot read the intake forms. What should the front desk "
            "do for her?"
        },
        "stem",
    ),
    # references that name no source
    ("uncheckable-reference", 75, {"references": ["Medical assisting textbook"]}, "references"),
    ("uncheckable-reference", 77, {"references": ["Personal experience at the front desk"]}, "references"),
    ("uncheckable-reference", 73, {"references": ["YouTube video on patient billing"]}, "references"),
    # negative lead-ins without "not"
    (
        "negative-lead-in",
        77,
        {
            "stem": "A patient refuses the flu shot her physician recommended. Which response by the medical "
            "assistant would be inappropriate?",
            "options": [
                "Record the refusal in her chart",
                "Tell the physician she refused",
                "Give the shot as ordered",
                "Offer her written information",
            ],
            "answer": "C",
            "rationale": "Giving a shot she refused is battery; recording the refusal, telling the physician and "
            "offering information are all proper.",
        },
        "stem",
    ),
    (
        "negative-lead-in",
        77,
        {
            "stem": "A patient refuses the flu shot her physician recommended. Which step should the medical "
            "assistant avoid?",
            "options": [
                "Record the refusal in her chart",
                "Tell the physician she refused",
                "Give the shot as ordered",
                "Offer her written information",
            ],
            "answer": "C",
            "rationale": "Giving a shot she refused is battery; recording the refusal, telling the physician and "
            "offering information are all proper.",
        },
        "stem",
    ),
    # a shared opening of a pronoun and a verb
    (
        "options-repeat-opening",
        77,
        {
            "options": [
                "She should record the refusal",
                "She should tell her it is required",
                "She should give the shot as ordered",
                "She should cancel her next visit",
            ],
            "answer": "A",
            "rationale": _REFUSAL_RATIONALE,
        },
        "options.A",
    ),
    # a completion stem whose verb agrees with the key alone
    (
        "grammatical-cue",
        76,
        {
            "stem": "The two parts of Medicare that together make up Original Medicare are",
            "options": ["Parts A and B", "Part C", "Part D", "Medigap"],
            "answer": "A",
            "rationale": "Original Medicare is Part A with Part B; Part C is Medicare Advantage, Part D covers "
            "drugs and Medigap is private supplemental insurance.",
        },
        "stem",
    ),
]


# --- issue 15, second pass: what reviewers send back (IW213, IW307, IW308, IW412-IW414) -----------
# Written for the rules' causes rather than their words: several wordings per kind, and clean
# near-misses (closed sets of categories, a 2 x 2 of options, names a definition item must use,
# current editions cited beside history) that the rules must leave alone. Ids 6000 up (flawed) and
# 6500 up (clean, in items/clean-near-miss/, linted with the other items but kept out of the
# clean bank that the bank-wide rules are scored on), so that cases added to CASES above do not
# renumber these.
REVIEWER_CASES: list[Case] = [
    (
        "paired-options",
        41,
        {
            "stem": "A physician bills a commercial payer on paper for an office visit today. Which claim form "
            "should the biller use?",
            "options": ["CMS-1500 (02/12)", "UB-04", "CMS-1500 (08/05)", "ADA dental claim form"],
            "answer": "A",
            "rationale": "Paper professional claims go on the 02/12 version of the 1500 form; the 08/05 version "
            "was retired in 2014, the UB-04 is for institutions and the ADA form for dentists.",
            "references": ["NUCC 1500 Health Insurance Claim Form Reference Instruction Manual, version 02/12, sec. 1"],
        },
        "options",
    ),
    (
        "paired-options",
        5,
        {
            "options": [
                "Within 30 days of receiving the request",
                "Within 10 business days, by state law",
                "Within 30 days of her last office visit",
                "After she pays her balance",
            ],
            "answer": "A",
            "rationale": "The entity acts on a request for access within 30 days of receiving it; the date of the "
            "last visit plays no part, there is no 10-day federal rule, and payment is not a condition.",
        },
        "options",
    ),
    (
        "paired-options",
        62,
        {
            "options": [
                "In a puncture-resistant sharps container",
                "In a red bag lining the trash can",
                "In a puncture-resistant recycling bin",
                "Back in its cap, then in the trash",
            ],
            "answer": "A",
            "rationale": "Used needles go at once into a closable, puncture-resistant sharps container; a bag can "
            "be pierced, a recycling bin is not for regulated waste, and recapping is not allowed.",
        },
        "options",
    ),
    (
        "paired-options",
        47,
        {
            "stem": "A check from a patient comes back from the bank marked NSF. What should the bookkeeper record "
            "first?",
            "options": [
                "Add the amount back to the patient's account balance",
                "Deposit the check again the same day",
                "Add the amount back to the office's petty cash fund",
                "Write the amount off as a bad debt",
            ],
            "answer": "A",
            "rationale": "The payment was never collected, so the amount goes back on the patient's balance before "
            "anyone calls her; petty cash is unrelated, a second deposit usually fails, and a write-off skips "
            "collection.",
            "references": ["OpenStax, Principles of Accounting, Volume 1, sec. 8.5"],
        },
        "options",
    ),
    (
        "paired-options",
        21,
        {
            "stem": "A returning patient checks in for her yearly physical. What should the receptionist ask her to "
            "confirm?",
            "options": [
                "Her address and insurance coverage",
                "Her full medical history",
                "Her address and employer's name",
                "Her list of emergency room visits",
            ],
            "answer": "A",
            "rationale": "Address and coverage change often and drive billing, so they are checked at each visit; "
            "the employer matters less than current coverage, and the history is taken by clinical staff.",
            "references": ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 8"],
        },
        "options",
    ),
    (
        "paired-options",
        48,
        {
            "options": [
                "At 1.5 times her regular rate",
                "At 2 times her regular rate",
                "As time off later",
                "At her regular rate plus a bonus",
            ],
            "answer": "A",
            "rationale": "Hours over 40 are paid at least one and a half times the regular rate; double time is "
            "not required, private employers may not give comp time, and a bonus is not overtime pay.",
            "stem": "A non-exempt receptionist works 44 hours in one workweek. Under the FLSA, how are the four "
            "hours over 40 paid?",
        },
        "options",
    ),
    (
        "word-form-echo",
        47,
        {
            "stem": "Each month Dana reconciles the practice's check register with the bank's statement. Which "
            "document does she prepare?",
            "options": ["Deposit slip", "Bank reconciliation", "Aging report", "Trial balance"],
            "answer": "B",
            "rationale": "Matching the book balance to the statement and explaining each difference is a bank "
            "reconciliation; a deposit slip lists items taken to the bank, and the other two are ledger reports.",
        },
        "options",
    ),
    (
        "word-form-echo",
        60,
        {
            "stem": "On her first day a new coder shows documents proving she is eligible to work in the United "
            "States. On which form does the employer record them?",
            "options": [
                "Form W-4, Employee's Withholding Certificate",
                "Form I-9, Employment Eligibility Verification",
                "Form W-2, Wage and Tax Statement",
                "Form SS-4, Application for EIN",
            ],
            "answer": "B",
        },
        "options",
    ),
    (
        "word-form-echo",
        49,
        {
            "stem": "Each payday the practice withholds federal income tax from a receptionist's wages. Which form "
            "did she give the employer to set the amount?",
            "options": [
                "Form W-2, Wage and Tax Statement",
                "Form W-4, Employee's Withholding Certificate",
                "Form I-9, Employment Eligibility Verification",
                "Form 1099-NEC, Nonemployee Compensation",
            ],
            "answer": "B",
            "rationale": "The employee's W-4 tells the employer how much to withhold; the W-2 reports the year's "
            "pay, the I-9 records eligibility to work, and the 1099-NEC is for contractors.",
        },
        "options",
    ),
    (
        "word-form-echo",
        44,
        {
            "stem": "The office manager summarizes the month's collections on one page for the physicians, who "
            "have no time to read the full reports. What is this page called?",
            "options": ["Meeting minutes", "Executive summary", "Policy memo", "Incident report"],
            "answer": "B",
            "rationale": "A one-page digest of longer reports for busy readers is an executive summary; minutes "
            "record a meeting, a memo announces, and an incident report records one event.",
            "references": ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 10"],
        },
        "options",
    ),
    (
        "word-form-echo",
        4,
        {
            "stem": "A front-desk clerk posts private details of a patient's visit on social media. Which wrong has "
            "the clerk most plainly committed?",
        },
        "options",
    ),
    (
        "stem-defines-key",
        36,
        {
            "stem": "When a patient has two health plans, the plans coordinate with each other so that together "
            "they pay no more than the bill. What is this process called?",
            "options": [
                "Coordination of benefits",
                "Subrogation",
                "Balance billing",
                "Claim adjudication",
            ],
            "answer": "A",
            "rationale": "Setting the order in which two plans pay is coordination of benefits; subrogation is a "
            "payer's recovery from a liable party, balance billing charges the patient the difference, and "
            "adjudication is processing a claim.",
            "references": ["NAIC Coordination of Benefits Model Regulation (MDL-120), sec. 4"],
            "level": "recall",
        },
        "stem",
    ),
    (
        "stem-defines-key",
        26,
        {
            "stem": "A family practice builds each chart around the patient's numbered list of problems, with every "
            "progress note tied to one of them. What type of record is this?",
            "options": [
                "Source-oriented record",
                "Problem-oriented record",
                "Chronological record",
                "Integrated record",
            ],
            "answer": "B",
            "rationale": "Weed's record is organized around a problem list; a source-oriented record groups entries "
            "by department, a chronological one by date, and an integrated one interfiles every source.",
            "level": "recall",
        },
        "stem",
    ),
    (
        "stem-defines-key",
        35,
        {
            "stem": "Before a test that Medicare may not cover, the office gives the beneficiary a notice in advance "
            "so she can decide whether to have it and pay herself. What is the form called?",
            "options": [
                "Advance Beneficiary Notice",
                "Medicare Summary Notice",
                "Notice of Privacy Practices",
                "Assignment of benefits",
            ],
            "answer": "A",
            "rationale": "The ABN (CMS-R-131) is given before a service Medicare may not pay for; the summary "
            "notice reports processed claims, the privacy notice describes privacy practices, and an assignment "
            "directs payment.",
            "level": "recall",
        },
        "stem",
    ),
    (
        "stem-defines-key",
        10,
        {
            "stem": "Mr. Ota's blood pressure is high every time staff in white coats take it at the clinic, but "
            "normal on his home monitor. What is this pattern called?",
            "options": [
                "Masked hypertension",
                "White coat hypertension",
                "Orthostatic hypotension",
                "Secondary hypertension",
            ],
            "answer": "B",
            "rationale": "High office readings with normal readings elsewhere are white coat hypertension; masked "
            "hypertension is the reverse, orthostatic hypotension is a fall on standing, and secondary "
            "hypertension has a cause such as kidney disease.",
            "references": ["MedlinePlus, High blood pressure (medical encyclopedia article 000468)"],
            "level": "recall",
        },
        "stem",
    ),
    (
        "stem-defines-key",
        33,
        {
            "stem": "A worker on a high-deductible plan saves pre-tax money for medical bills in an account he owns "
            "and keeps when he changes jobs. Which account is this?",
            "options": [
                "Flexible spending account",
                "Health reimbursement arrangement",
                "Health savings account",
                "Dependent care account",
            ],
            "answer": "C",
            "rationale": "An HSA goes with a qualifying high-deductible plan and belongs to the employee; an FSA "
            "belongs to the employer's plan, an HRA is funded by the employer, and a dependent care account pays "
            "for child care.",
            "references": ["26 U.S.C. 223(c)(1)"],
            "level": "recall",
        },
        "stem",
    ),
    (
        "stem-defines-key",
        22,
        {
            "stem": "After teaching a patient how to use a spacer, the assistant asks him to say the steps back to "
            "her in his own words. What is this technique called?",
            "options": ["Teach-back", "Active listening", "Reflection", "Motivational interviewing"],
            "answer": "A",
            "rationale": "Having the patient restate the instructions checks what he understood; the other three "
            "are ways of attending to or drawing out what a patient says.",
            "level": "recall",
        },
        "stem",
    ),
    (
        "superseded-reference",
        41,
        {"references": ["NUCC 1500 Health Insurance Claim Form Reference Instruction Manual, version 08/05, item 21"]},
        "references.0",
    ),
    (
        "superseded-reference",
        55,
        {"references": ["Medicare Claims Processing Manual, Pub. 100-04, ch. 25, UB-92 completion instructions"]},
        "references.0",
    ),
    (
        "superseded-reference",
        60,
        {"references": ["USCIS, Form I-9 instructions (Rev. 10/21/19), Section 2"]},
        "references.0",
    ),
    (
        "superseded-reference",
        38,
        {"references": ["AMA, CPT Professional 2024, Category III codes section"]},
        "references.0",
    ),
    (
        "superseded-reference",
        36,
        {"references": ["ICD-10-CM Expert for Physicians 2025, Conventions, sec. I.A.1"]},
        "references.0",
    ),
    (
        "superseded-reference",
        10,
        {"references": ["NHLBI, JNC 7 Express: The Seventh Report of the Joint National Committee (2004), table 1"]},
        "references.0",
    ),
    (
        "reference-without-locator",
        44,
        {"references": ["Booth, Whicker and Wyman, Medical Assisting: Administrative and Clinical Procedures"]},
        "references.0",
    ),
    (
        "reference-without-locator",
        58,
        {"references": ["Heizer et al., Operations Management (Pearson, 2023)"]},
        "references.0",
    ),
    (
        "reference-without-locator",
        3,
        {"references": ["Lewis and Tamparo, Medical Law, Ethics and Bioethics for the Health Professions"]},
        "references.0",
    ),
    (
        "recall-labelled-application",
        16,
        {
            "stem": "Mrs. Ruiz reads her discharge sheet, which says to take one tablet SL, and asks what SL means. "
            "What does the abbreviation stand for?",
            "options": ["Under the tongue", "Slowly", "With a full glass of water", "Once a day"],
            "answer": "A",
            "rationale": "SL is sublingual, under the tongue; it says nothing about speed, water or how often.",
            "level": "application",
        },
        "cognitive_level",
    ),
    (
        "recall-labelled-application",
        43,
        {
            "stem": "Ana sorts the morning mail at the front desk before the first patient arrives. What does the "
            "term accounts payable mean?",
            "options": [
                "Money the practice owes its suppliers",
                "Money patients owe the practice",
                "Cash kept for small purchases",
                "Income earned but not yet billed",
            ],
            "answer": "A",
            "rationale": "Accounts payable are debts to suppliers; patient balances are receivables, small cash is "
            "petty cash, and unbilled income is accrued revenue.",
            "level": "application",
        },
        "cognitive_level",
    ),
    (
        "recall-labelled-application",
        0,
        {
            "stem": "A surgeon's note lists an appendectomy. Which suffix means surgical removal?",
            "level": "analysis",
        },
        "cognitive_level",
    ),
    (
        "recall-labelled-application",
        54,
        {
            "stem": "Under the HIPAA Security Rule, which kind of safeguard is a locked server room?",
            "level": "application",
        },
        "cognitive_level",
    ),
    (
        "recall-labelled-application",
        67,
        {
            "stem": "While the waiting room is quiet on a Friday afternoon, which part of Medicare mainly covers "
            "physician services and outpatient care?",
            "level": "application",
        },
        "cognitive_level",
    ),
]

# Clean near-misses: sound items whose options or stems look like a reviewer's flaw but are not one.
NEAR_MISSES: list[tuple[int, dict[str, Any]]] = [
    (
        10,
        {
            "stem": "A patient's blood pressure, taken correctly at rest, is 136/82 mm Hg. Under the 2025 AHA/ACC "
            "guideline, how is the reading classified?",
            "options": ["Normal", "Elevated", "Stage 1 hypertension", "Stage 2 hypertension"],
            "answer": "C",
            "rationale": "A systolic of 130 to 139 or a diastolic of 80 to 89 is stage 1; normal is under 120/80, "
            "elevated is 120 to 129 over less than 80, and stage 2 starts at 140 or 90.",
            "references": [
                "Jones DW et al., 2025 AHA/ACC Guideline for High Blood Pressure, Circulation 2025;152:e114, sec. 3"
            ],
        },
    ),
    (
        16,
        {
            "stem": 'A prescription reads "1 tab SL q4h". How should the patient take the tablet?',
            "options": [
                "Under the tongue every four hours",
                "By mouth every four hours",
                "Under the tongue once a day",
                "By mouth once a day",
            ],
            "answer": "A",
            "rationale": "SL is under the tongue and q4h is every four hours; the other three change the route, the "
            "timing or both.",
        },
    ),
    (
        52,
        {
            "stem": "A practice must be able to tell who opened which record and when. Which Security Rule "
            "standard does this meet?",
            "options": ["Audit controls", "Integrity controls", "Transmission security", "Person authentication"],
            "answer": "A",
            "rationale": "Audit controls record activity in systems that hold ePHI; integrity controls guard "
            "against changes, transmission security protects data in transit, and authentication confirms who "
            "signs in.",
        },
    ),
    (
        18,
        {
            "stem": "A clinic books several patients at the top of each hour and sees them in the order they "
            "arrive. Which scheduling method is this?",
            "options": ["Wave scheduling", "Stream scheduling", "Open hours", "Double booking"],
            "answer": "A",
            "rationale": "Booking a group at the start of the hour and seeing them as they come is the wave method; "
            "stream gives each patient a set time, open hours take no bookings, and double booking puts two in one "
            "slot.",
        },
    ),
    (
        47,
        {
            "stem": "A patient pays $40 toward last month's balance. In double-entry bookkeeping, how is the "
            "payment recorded?",
            "options": [
                "Debit cash and credit accounts receivable",
                "Debit accounts receivable and credit cash",
                "Debit cash and credit service revenue",
                "Debit service revenue and credit cash",
            ],
            "answer": "A",
            "rationale": "Cash rises and the amount the patient owes falls; revenue was recorded when the service "
            "was given, so it is not credited again.",
        },
    ),
    (
        44,
        {
            "stem": "Ten-year-old Noah was brought in by his aunt, but his father signed the financial agreement as "
            "guarantor. To whom should the statement be addressed?",
            "options": ["The patient", "The aunt", "The insurer", "The father"],
            "answer": "D",
            "rationale": "The guarantor who signed receives the statement; a minor is not billed, the aunt signed "
            "nothing, and the insurer is billed on a claim.",
            "references": ["Kinn's The Administrative Medical Assistant, 15th ed., ch. 18"],
        },
    ),
    (
        41,
        {
            "stem": "A practice still holds a stack of paper claim forms printed in 2012. Before using them for "
            "Medicare, what should the biller check?",
            "options": [
                "That they are version 02/12 of the 1500 form",
                "That they are printed in black ink on plain paper",
                "That each one carries the payer's printed logo",
                "That the patient signed each one in advance",
            ],
            "answer": "A",
            "rationale": "Medicare accepts only the 02/12 version on paper; the form is printed in red ink, bears no "
            "payer logo, and is not signed in advance.",
            "references": [
                "NUCC 1500 Claim Form Reference Instruction Manual, version 02/12 (it replaced 08/05), sec. 1"
            ],
        },
    ),
    (
        55,
        {
            "references": [
                "CMS MLN Matters MM5072, Uniform Billing (UB-04) Implementation: UB-92 Replacement",
                "Medicare Claims Processing Manual, Pub. 100-04, ch. 25",
            ]
        },
    ),
    (
        16,
        {
            "stem": "Mrs. Ruiz's discharge sheet says to take one tablet SL when chest pain starts. She asks what to "
            "do with the tablet. What should the assistant tell her?",
            "options": [
                "Let it dissolve under her tongue",
                "Swallow it with a glass of water",
                "Chew it before swallowing",
                "Dissolve it in juice and drink it",
            ],
            "answer": "A",
            "rationale": "SL means sublingual: the tablet dissolves under the tongue and is absorbed there; "
            "swallowing, chewing or dissolving it in a drink sends it through the stomach instead.",
            "level": "application",
        },
    ),
    (
        12,
        {
            "stem": "In the chain of infection, what is the place where a pathogen lives and multiplies called?",
            "options": ["Reservoir", "Portal of exit", "Mode of transmission", "Susceptible host"],
            "answer": "A",
            "rationale": "The reservoir is where the pathogen survives and multiplies; the portal of exit is how it "
            "leaves, the mode of transmission how it travels, and the susceptible host whom it infects next.",
            "references": ["CDC, Principles of Epidemiology in Public Health Practice, 3rd ed., Lesson 1, sec. 10"],
        },
    ),
    (
        45,
        {
            "stem": "Which report shows how long each patient's unpaid balance has been outstanding?",
            "options": ["Aging report", "Day sheet", "Deposit slip", "Trial balance"],
            "answer": "A",
            "rationale": "The aging report sorts open balances by how long they have gone unpaid; a day sheet lists "
            "one day's charges and payments, a deposit slip what goes to the bank, and a trial balance tests the "
            "ledger.",
            "level": "recall",
        },
    ),
    (
        44,
        {
            "references": [
                "Booth, Whicker and Wyman, Medical Assisting: Administrative and Clinical Procedures, 7th ed., ch. 20"
            ]
        },
    ),
]


# Small banks for the bank-wide kinds: (kind, folder, [(base, changes)...]); each is linted as a
# bank of its own and only bank-wide findings count there. Ids are given so runs are what we mean.
def _rekey(base: int, letter: str) -> dict[str, Any]:
    """The base item with its key moved to `letter` (the options swap places; the key stays the key)."""
    opts, key = _rebalanced(base)
    i, j = LETTERS.index(key), LETTERS.index(letter)
    opts = list(opts)
    opts[i], opts[j] = opts[j], opts[i]
    return {"options": opts, "answer": letter}


def _cycle(members: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Members re-keyed A, B, C, D in turn (a balanced bank without runs); the key text stays the key."""
    out = []
    for n, (base, changes) in enumerate(members):
        if (base in ORDERED or base in ORDERED_M1) and "options" not in changes:
            out.append((base, changes))
            continue
        if "options" in changes:
            opts, key = list(changes["options"]), changes["answer"]
        else:
            opts, key = list(_rebalanced(base)[0]), _rebalanced(base)[1]
        for old, new in changes.get("swap", {}).items():
            opts[opts.index(old)] = new
        letter = LETTERS[n % 4]
        i, j = LETTERS.index(key), LETTERS.index(letter)
        opts[i], opts[j] = opts[j], opts[i]
        rest = {k: v for k, v in changes.items() if k != "swap"}
        out.append((base, {**rest, "options": opts, "answer": letter}))
    return out


def _share_bank(unordered: list[int]) -> list[tuple[int, dict[str, Any]]]:
    """Every clean item whose key is the longest option, the key-longest cases, and 8 others."""
    longest = [i for i in range(len(CLEAN)) if _key_longest(i)]
    cases = [(c[1], c[2]) for c in CASES if c[0] == "key-longest"]
    return _cycle([(b, {}) for b in longest] + cases + [(b, {}) for b in unordered if b not in longest][:8])


def _negative_bank(unordered: list[int]) -> list[tuple[int, dict[str, Any]]]:
    """The four negative lead-in cases among 16 clean items (20 %, where 10 % is the limit)."""
    negative = [c for c in CASES if c[0] == "negative-lead-in"][:4]  # the first four: later ones are wordings
    bases = {c[1] for c in negative}
    return _cycle([(c[1], c[2]) for c in negative] + [(b, {}) for b in unordered if b not in bases][:16])


def _banks() -> list[tuple[str, str, list[tuple[int, dict[str, Any]]]]]:
    unordered = [i for i in range(len(CLEAN)) if i not in ORDERED]
    balance = [(b, _rekey(b, "A" if n < 9 else "BCD"[n % 3])) for n, b in enumerate(unordered[:16:1])]
    area7 = [i for i in unordered if CLEAN[i][0].startswith("7")][:5]
    run = [(b, _rekey(b, "C")) for b in area7]
    share, neg = _share_bank(unordered), _negative_bank(unordered)
    cue1 = [
        (35, {}),
        (
            40,
            {
                "stem": "A Medicare patient signed an Advance Beneficiary Notice before a screening test that Medicare "
                "then denied. Who is responsible for paying for the test?",
                "options": ["Medicare", "The practice", "The patient", "Her Medigap plan"],
                "answer": "C",
                "rationale": "The signed notice told her in advance that she might owe the cost, so the practice may "
                "bill her.",
                "references": ["CMS Form CMS-R-131 instructions (2023), sec. D"],
            },
        ),
    ]
    cue2 = [
        (20, {}),
        (
            21,
            {
                "stem": "After giving a new patient the Notice of Privacy Practices, what does the front desk ask her "
                "to sign?",
                "options": ["An authorization", "A written acknowledgment", "A consent to treat", "A waiver of rights"],
                "answer": "B",
                "rationale": "The provider makes a good-faith effort to get a written acknowledgment that she received "
                "the notice.",
                "references": ["45 CFR 164.520(c)(2)(ii)"],
            },
        ),
    ]
    return [
        ("key-balance", "key-balance", balance),
        ("key-run", "key-run", run),
        ("key-longest-share", "key-longest-share", share),
        ("negative-stem-share", "negative-stem-share", neg),
        ("cross-item-cue", "cross-item-cue-1", cue1),
        ("cross-item-cue", "cross-item-cue-2", cue2),
    ]


def _banks_m1() -> list[tuple[str, str, list[tuple[int, dict[str, Any]]]]]:
    """Issue 15's unseen-wording banks (helper m1): a small bank of ten where seven keys are the
    longest option, and a key that another stem holds with a hyphen ("practice-management")."""
    longest = [i for i in range(len(CLEAN)) if _key_longest(i)][:7]
    others = [i for i in range(len(CLEAN)) if i not in ORDERED | ORDERED_M1 and not _key_longest(i)][:3]
    small = _cycle([(b, {}) for b in longest] + [(b, {}) for b in others])
    software = [
        (
            55,
            {
                "stem": "Which software does the front desk use to book patients, post payments and send claims?",
                "options": [
                    "Practice management software",
                    "Word-processing software",
                    "Spreadsheet software",
                    "Patient portal software",
                ],
                "answer": "A",
                "rationale": "Practice management software schedules, posts payments and bills; a word processor, "
                "a spreadsheet and a portal do none of the three together.",
            },
        ),
        (
            55,
            {
                "stem": "The clinic's practice-management software sends claims to many payers through one "
                "connection that checks each claim first. What is that connection called?"
            },
        ),
    ]
    return [
        ("key-longest-share", "key-longest-share-small", small),
        ("cross-item-cue", "cross-item-cue-3", software),
    ]


# --- writing -------------------------------------------------------------------------------------

_KEYED: dict[int, tuple[list[str], str]] = {}


def _rebalance() -> None:
    """Move keys so A-D are about equally often the key (a real bank is balanced; IW501)."""
    counts = dict.fromkeys(LETTERS, 0)
    for i, entry in enumerate(CLEAN):
        if i in ORDERED:
            counts[entry[5]] += 1
    for i, entry in enumerate(CLEAN):
        opts, key = list(entry[4]), entry[5]
        if i not in ORDERED and i not in ORDERED_M1:
            target = min(LETTERS, key=lambda k: (counts[k], (LETTERS.index(k) - i) % 4))
            a, b = LETTERS.index(key), LETTERS.index(target)
            opts[a], opts[b] = opts[b], opts[a]
            key = target
            counts[key] += 1
        _KEYED[i] = (opts, key)


def _rebalanced(base: int) -> tuple[list[str], str]:
    if not _KEYED:
        _rebalance()
    return _KEYED[base]


def _key_longest(base: int) -> bool:
    opts, key = _rebalanced(base)
    k = len(opts[LETTERS.index(key)])
    return all(k > len(o) for j, o in enumerate(opts) if LETTERS[j] != key)


def _block(text: str) -> str:
    if "  " in text or len(text) <= 96:
        lines = [text]
    else:
        lines = textwrap.wrap(text, 100, break_on_hyphens=False, break_long_words=False)
    return "|-\n" + "".join(f"  {line}\n" for line in lines)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def item_text(item_id: str, base: int, changes: dict[str, Any]) -> str:
    sub, level, difficulty, stem, _, _, rationale, refs = CLEAN[base]
    opts, key = _rebalanced(base)
    opts = list(opts)
    if "options" in changes:
        opts, key = list(changes["options"]), changes["answer"]
    for old, new in changes.get("swap", {}).items():
        opts[opts.index(old)] = new
    key = changes.get("answer", key)
    stem = changes.get("stem", stem)
    rationale = changes.get("rationale", rationale)
    refs = changes.get("references", refs)
    level = changes.get("level", level)
    # "{Sublingual}" in a rationale is the letter that option ends up under
    rationale = re.sub(r"\{([^{}]+)\}", lambda m: LETTERS[opts.index(m.group(1))], rationale)
    out = [f"id: {item_id}", f"domain: {sub[0]}", f"subdomain: {sub}", f"status: {changes.get('status', 'review')}"]
    out += [f"difficulty: {difficulty}", f"cognitive_level: {level}", "stem: " + _block(stem).rstrip("\n")]
    out += ["options:"] + [f"  {k}: {_q(v)}" for k, v in zip(LETTERS, opts, strict=True)]
    out += [f"answer: {key}", "rationale: " + _block(rationale).rstrip("\n")]
    out += ["references:" + ("" if refs else " []")] + [f"  - {_q(r)}" for r in refs]
    out += ["authors:", "  - Lint corpus writer", "reviews: []", "tags: [lint-corpus]", "enemies: []"]
    suppress = changes.get("suppress", {})
    out += ["suppress:" + ("" if suppress else " {}")] + [f"  {c}: {_q(r)}" for c, r in suppress.items()]
    out += ["created: 2026-12-02", "updated: 2026-12-02"]
    text = "\n".join(out) + "\n"
    trail = changes.get("trail")
    if trail:
        lines = text.split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith(trail))
        lines[at] += "   "
        text = "\n".join(lines)
    return text


def _write_reviewer_cases() -> list[dict[str, str]]:
    """The issue 15 second-pass cases (ids 6000 up) and clean near-misses (6500 up)."""
    rows = []
    cases = [(kind, base, changes, location, f"items/{kind}") for kind, base, changes, location in REVIEWER_CASES]
    cases += [("clean", base, changes, "", "items/clean-near-miss") for base, changes in NEAR_MISSES]
    flawed = near = 0
    for kind, base, changes, location, folder in cases:
        area = CLEAN[base][0][0]
        number = 6500 + near if kind == "clean" else 6000 + flawed
        near, flawed = (near + 1, flawed) if kind == "clean" else (near, flawed + 1)
        item_id = f"CMAS-0{area}-{number:04d}"
        path = ROOT / folder / f"{item_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item_text(item_id, base, changes), encoding="utf-8")
        base_id = f"CMAS-0{area}-{100 + base:04d}"
        rows.append({"file": path.relative_to(ROOT).as_posix(), "kind": kind, "location": location, "base": base_id})
    return rows


def main() -> None:
    _rebalance()
    for sub in ("items", "banks"):
        shutil.rmtree(ROOT / sub, ignore_errors=True)
    rows: list[dict[str, str]] = []
    for i in range(len(CLEAN)):
        area = CLEAN[i][0][0]
        item_id = f"CMAS-0{area}-{100 + i:04d}"
        path = ROOT / "items" / "clean" / f"{item_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item_text(item_id, i, {}), encoding="utf-8")
        rows.append({"file": path.relative_to(ROOT).as_posix(), "kind": "clean", "location": "", "base": ""})
    for n, (kind, base, changes, location) in enumerate(CASES):
        area = CLEAN[base][0][0]
        item_id = f"CMAS-0{area}-{5000 + n:04d}"
        path = ROOT / "items" / kind / f"{item_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(item_text(item_id, base, changes), encoding="utf-8")
        base_id = f"CMAS-0{area}-{100 + base:04d}"
        rows.append({"file": path.relative_to(ROOT).as_posix(), "kind": kind, "location": location, "base": base_id})
    rows += _write_reviewer_cases()
    n = 0
    for kind, folder, members in [*_banks(), *_banks_m1()]:
        for base, changes in members:
            area = CLEAN[base][0][0]
            item_id = f"CMAS-0{area}-{8000 + n:04d}"
            n += 1
            path = ROOT / "banks" / folder / f"{item_id}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(item_text(item_id, base, changes), encoding="utf-8")
        rows.append({"file": f"banks/{folder}", "kind": kind, "location": "bank", "base": ""})
    with open(ROOT / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["file", "kind", "location", "base"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} cases written to {ROOT}")


if __name__ == "__main__":
    main()
