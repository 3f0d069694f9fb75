"""Issue 13, point 8: the review's top 15 missing or thin topics, each with the page a reader finds it on and
what the page must say there; and the review's findings that a page must now state. Read from the built demo
(Riverside's current working copy unless a partnership is named), so a topic that moves or loses its substance
fails here by name. The policy review is ../shared/reviews/content-2026-11.md."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from tests.test_guidance import text_of

# topic -> [(page stem, partnership or None for the showcase, [patterns that must all appear on that page])]
TOPICS: dict[str, list[tuple[str, str | None, list[str]]]] = {
    '1. Data (Use and Access) Act 2025': [
        # DUAA 2025: seven lawful bases and recognised legitimate interests
        ('data-protection', None, [
            r'Data \(Use and Access\) Act 2025',
            '[Ss]even',
            'recognised legitimate interests',
            r'6\(1\)\(ea\)',
            '5 February 2026',
            'no balancing test',
            'necessary',
            'charities',
            'nurseries',
            'voluntary groups',
            'keep using public task',
        ]),
        # DUAA 2025: public task disclosure request and safeguarding compatibility
        ('data-protection', None, [
            'public task request',
            'safeguarding compatibility condition',
        ]),
        # Information Commission replacing the ICO
        ('data-protection', None, [
            'will replace it with the Information Commission',
        ]),
        # data protection complaints duty
        ('data-protection', None, [
            '19 June 2026',
            'within 30 days',
        ]),
        # charities' balancing-test myth
        ('myths', None, [
            'seventh lawful basis',
            'no balancing test',
        ]),
        # consent: seven lawful bases (DUAA)
        ('consent', None, [
            'seven lawful bases',
            'recognised legitimate interests',
            '5 February 2026',
        ]),
        # Data (Use and Access) Act 2025 in the legal framework
        ('law', None, [
            r'Data \(Use and Access\) Act 2025',
            'seven lawful bases',
            'recognised legitimate interests',
            '5 February 2026',
        ]),
        # seven lawful bases in the decision questions
        ('deciding', None, [
            'Article 6 lists seven',
            'recognised legitimate interests',
            'public task',
        ]),
        # organisations: DUAA and CWSA
        ('organisations', None, [
            'recognised legitimate interests',
            'appropriate policy document',
            'data protection complaints',
            '19 June 2026',
            "Children's Wellbeing and Schools Act 2026",
            'section 4 (of the Act )?comes into force',
            'whistleblowing policy',
        ]),
    ],
    "2. Children's Wellbeing and Schools Act 2026": [
        # Children's Wellbeing and Schools Act 2026 (duty to share, consistent identifier)
        ('law', None, [
            "Children's Wellbeing and Schools Act 2026",
            '16LA',
            '16LB',
            'consistent identifier',
            r'day set by regulations|section 78\(5\)',
            'legal obligation',
            'more harm than not sharing',
        ]),
        # why share: CWSA duty not yet in force
        ('why-share', None, [
            "Children's Wellbeing and Schools Act 2026",
            '[Ww]hen section 4 of that Act comes into force',
            'not been confirmed as in force',
        ]),
        # CWSA 2026 in schools (not yet in force)
        ('schools-and-health', None, [
            "Children's Wellbeing and Schools Act 2026",
            'not been confirmed as in force',
        ]),
        # safeguarding partners' information requests (s.16H)
        ('law', None, [
            'section 16H',
            'injunction',
        ]),
    ],
    '3. FGM, forced marriage and honour-based abuse': [
        # FGM mandatory reporting duty (H3)
        ('fgm-forced-marriage', None, [
            'section 5B',
            '31 October 2015',
            r'\b101\b',
            'within one month',
            '(?i)does not count as that report',
            '(?i)do not examine',
            'reference number',
        ]),
        # FGM duty on the urgent page
        ('urgent', None, [
            r'\bFGM\b',
            'report it to the police yourself',
            r'\b101\b',
            'does not replace the police report',
        ]),
        # Forced marriage
        ('fgm-forced-marriage', None, [
            'section 121',
            '27 February 2023',
            '(?i)nobody under 18 can marry',
            'Forced Marriage Protection Order',
            '(?i)one chance',
            'Forced Marriage Unit',
            '(?i)never use a relative',
        ]),
        # Honour-based abuse
        ('fgm-forced-marriage', None, [
            '(?i)honour-based abuse is abuse',
            r'\b999\b',
            '(?i)do not contact the family',
            'MARAC',
        ]),
        # FGM / forced marriage: adults with capacity
        ('fgm-forced-marriage', None, [
            '(?i)their wishes count',
            '(?i)reasons to act anyway',
            '(?i)capacity to agree to marriage',
        ]),
        # FGM in the training module
        ('learn/module-4', None, [
            '(?i)telling the DSL is enough',
            r'\b101\b',
        ]),
        # FGM reported to the police (police page)
        ('police', None, [
            'must report it to the police yourself',
            'within one month',
            'reporting duty',
        ]),
        # scenario: FGM report to police
        ('scenarios', None, [
            'Cut on holiday',
            'report it to the police yourself',
            r'\b101\b',
            'within one month',
            'does not count as the report',
        ]),
    ],
    '4. Adults in depth: consent, overrides, PiPoT, advocacy, self-neglect': [
        # adults: consent and capacity (Making Safeguarding Personal)
        ('adults', None, [
            'Making Safeguarding Personal',
            'Mental Capacity Act',
            '[Tt]alk to the adult first',
            'tell them',
            r'does \*?\*?not\*?\*? carry over|not carry over',
        ]),
        # adults: overrides to an adult's refusal
        ('adults', None, [
            'other people are at risk, including children',
            'serious crime',
            'unreasonably high',
            'MARAC',
            'coercion, duress or undue influence',
            'position of trust',
            'care and support needs and may be at risk too',
            'court order',
            'best interests, under section 4',
        ]),
        # adults: DPA para 18 limits and para 19
        ('adults', None, [
            'paragraph 18',
            'substantial public interest',
            'appropriate policy document',
            r'does not cover an adult with capacity|does \*?\*?not\*?\*? cover an adult with capacity',
            'paragraph 10',
            'Paragraph 19',
            'economic',
        ]),
        # adults: concern vs section 42 enquiry
        ('adults', None, [
            'safeguarding concern',
            'section 42 enquiry',
        ]),
        # adults: ten types of abuse
        ('adults', None, [
            'ten kinds',
            'discriminatory abuse',
            'organisational abuse',
            'self-neglect',
            'modern slavery',
        ]),
        # adults: people in a position of trust (PiPoT)
        ('adults', None, [
            'position of trust',
            'PiPoT',
            'LADO',
            'Disclosure and Barring Service',
        ]),
        # adults: self-neglect and hoarding
        ('adults', None, [
            '[Hh]oarding',
            'executive capacity',
            'multi-agency risk management meeting',
            '[Kk]eep engaging',
        ]),
        # adults: advocacy (Care Act s.67/68, IMCA)
        ('adults', None, [
            'section 68',
            'Section 67',
            r'\bmust\b[^.]*independent advocate',
            'substantial difficulty',
            'independent mental capacity advocate|IMCA',
        ]),
        # adults: domestic abuse, personally connected
        ('adults', None, [
            'personally connected',
            'parental relationship to the same child',
            'agreed to marry',
            'intimate relationship',
            'domestic-abuse/#marac|MARAC',
        ]),
        # consent: adult with capacity who refuses
        ('consent', None, [
            "adults?/#overrides|share against (their|an adult's) wishes",
            'court order',
        ]),
        # consent: cannot reach the person (M7)
        ('consent', None, [
            'section 4 of the Mental Capacity Act',
            'cannot reach them and the risk will not wait',
            'public interest justifies',
        ]),
        # confidentiality: adults with capacity
        ('confidentiality', None, [
            'adult with capacity',
            'GMC',
            '25 April 2017',
        ]),
        # learn: adult-capacity quiz
        ('learn/module-5', None, [
            'you can always share about them without asking',
            'That rule is for children',
        ]),
        # golden rules and adults with capacity (rule 3 does not carry over)
        ('golden-rules', None, [
            'except rule 3',
            'their wishes count',
            'own decisions',
        ]),
        # deciding: adults with capacity
        ('deciding', None, [
            'their wishes count',
            r"adults\.md#overrides|share against an adult's wishes",
        ]),
        # why share: adults with capacity
        ('why-share', None, [
            'Adults are different',
            'against their wishes only for a strong reason',
        ]),
        # scenario: adult with capacity says no
        ('scenarios', None, [
            "Please don't tell anyone",
            'Respect her wishes',
            'Share without her agreement only if',
        ]),
        # scenario: PiPoT
        ('scenarios', None, [
            'person in a position of trust',
            'Do not warn him',
        ]),
        # DPA 2018 Sch 1 para 18 limits
        ('data-protection', None, [
            '[Pp]aragraph 18',
            'substantial public interest',
            'appropriate policy document',
            'adult with capacity (who )?was asked and refused|Not for an adult who said no',
            'paragraph 10',
            'is experiencing|are experiencing',
            'need not be the person the data is about',
        ]),
    ],
    '5. Domestic abuse and MARAC': [
        # domestic abuse: legal definition
        ('domestic-abuse', None, [
            'Domestic Abuse Act 2021',
            '16 or over',
            'personally connected',
            'agreed to marry',
            'intimate relationship',
            'parental relationship to the same child',
            'relatives',
        ]),
        # domestic abuse: kinds incl. coercive control and economic abuse
        ('domestic-abuse', None, [
            '[Cc]oercive control',
            'section 76 of the Serious Crime Act 2015',
            '[Ee]conomic abuse',
        ]),
        # domestic abuse: children as victims
        ('domestic-abuse', None, [
            '[Ss]ection 3',
            'victim of domestic abuse in their own right',
        ]),
        # domestic abuse: asking safely
        ('domestic-abuse', None, [
            '[Ss]ee them alone',
            'Never ask a partner, relative, friend or child to interpret',
        ]),
        # DASH risk checklist
        ('domestic-abuse', None, [
            'DASH',
            '14 or more',
            '[Pp]rofessional judgement',
            '3 or more incidents',
        ]),
        # IDVA
        ('domestic-abuse', None, [
            'independent domestic violence adviser',
            'IDVA',
        ]),
        # MARAC referral and consent
        ('domestic-abuse', None, [
            'multi-agency risk assessment conference',
            'can still go ahead',
            'overrides',
            'Never tell the abuser',
        ]),
        # MARAC records
        ('domestic-abuse', None, [
            'Minutes and action plans are confidential',
            "MARAC's agreement",
        ]),
        # domestic abuse with children in the home
        ('domestic-abuse', None, [
            'lives in the home or visits it',
            'does not replace a referral to the front door',
            'Operation Encompass',
        ]),
        # domestic abuse: adults with care and support needs
        ('domestic-abuse', None, [
            'care and support needs',
            '[Aa]dult [Ss]ocial [Cc]are',
        ]),
        # domestic abuse: 16-17-year-olds
        ('domestic-abuse', None, [
            'applies from age 16',
            '16- or 17-year-old',
            "children's safeguarding applies too",
        ]),
        # domestic abuse: adult with capacity says no
        ('domestic-abuse', None, [
            'respect their decision',
            'Share against their wishes only if',
            'best interests',
        ]),
        # DVPN/DVPO and DAPN/DAPO
        ('domestic-abuse', None, [
            'domestic violence protection notice',
            '48 hours',
            'domestic violence protection order',
            '28 days',
            'domestic abuse protection notices and orders',
            'November 2024',
        ]),
        # stalking protection orders
        ('domestic-abuse', None, [
            'stalking protection order',
        ]),
        # domestic homicide reviews
        ('domestic-abuse', None, [
            'domestic homicide review',
            'domestic abuse related death reviews',
        ]),
        # domestic abuse helplines
        ('domestic-abuse', None, [
            'National Domestic Abuse Helpline',
            '0808 2000 247',
            "Men's Advice Line",
            '0808 801 0327',
        ]),
    ],
    '6. Police requests and court orders': [
        # Police requests and the DPA crime exemption
        ('police', None, [
            'Schedule 2, Part 1, paragraph 2',
            'crime and taxation exemption',
            'DP2',
            'request form is not an order',
            'production order',
            'does not make you share',
        ]),
        # Court orders compel (police page)
        ('police', None, [
            'court order, a witness summons, a production order or a search warrant',
            'the law makes you comply',
            'court orders and other requests',
        ]),
        # court orders, proceedings and regulators
        ('requests', None, [
            'witness summons',
            'Schedule 2, paragraph 5',
            'Ofsted',
            'Care Quality Commission',
            'Disclosure and Barring Service',
            'coroner',
            'Check their power',
        ]),
        # police use DPA Part 3, not public task
        ('data-protection', None, [
            'Part 3',
            'do not use an Article 6 basis',
            'Schedule 8',
        ]),
    ],
    '7. Subject access and redaction': [
        # subject access requests
        ('requests', None, [
            'subject access request',
            'within one month',
            'two more months',
            'social media',
            '[Ss]ince 19 June 2025',
            'reasonable and proportionate',
            'pauses',
            'the same day',
        ]),
        # children's and parents' subject access requests
        ('requests', None, [
            'child can ask for their own records',
            "parent can ask for a child's records",
            'best interests',
        ]),
        # subject access exemptions (third parties, serious harm, crime)
        ('requests', None, [
            "[Oo]ther people's information",
            'serious harm test',
            'Schedule 2, paragraph 2',
            'not revealing that a referral has been made',
        ]),
        # redaction
        ('requests', None, [
            '[Rr]edaction',
            'black marker',
            'hidden data',
            'second person check',
        ]),
        # subject access and redaction links from recording
        ('recording', None, [
            'subject access request',
            'redaction',
        ]),
    ],
    '8. Prevent and radicalisation': [
        # Prevent and radicalisation
        ('exploitation', None, [
            'Section 26 of the Counter-Terrorism and Security Act 2015',
            'Prevent duty guidance',
            'Prevent referral form',
            'Channel panel',
            'section 36',
            'Channel support is voluntary',
            'Anti-Terrorist Hotline',
            'attack may happen soon',
        ]),
    ],
    '9. Schools and early years': [
        # schools and colleges (KCSIE, DSL, child protection file transfer)
        ('schools-and-health', None, [
            'Keeping children safe in education',
            'designated safeguarding lead',
            'within (the first )?five days',
            'confirmation',
            'low-level concerns?',
        ]),
        # concern about the head teacher or DSL
        ('schools-and-health', None, [
            'chair of governors',
            'proprietor',
            'LADO',
        ]),
        # early years (EYFS, Ofsted notification, recognised legitimate interests)
        ('schools-and-health', None, [
            'Early years foundation stage',
            'lead practitioner',
            'within 14 days',
            'recognised legitimate interests',
        ]),
        # ICO education-sector safeguarding guidance
        ('schools-and-health', None, [
            'guidance for schools, colleges and nurseries',
            r'Information Commission\b',
        ]),
    ],
    '10. Health services and GPs': [
        # health, GPs and the NHS
        ('schools-and-health', None, [
            'Protecting children and young people',
            'NMC',
            'HCPC',
            'safeguarding lead',
            'named (nurse|doctor|professionals)',
            'designated professionals',
            'section 47',
        ]),
        # Child Protection Information Sharing (CP-IS)
        ('schools-and-health', None, [
            'Child Protection Information Sharing',
            'child protection plan',
            'A&amp;E|A&E',
        ]),
    ],
    '11. Exploitation and the NRM': [
        # Harm outside the home / contextual safeguarding
        ('exploitation', None, [
            'harm outside the home',
            'contextual safeguarding',
            'Child-on-child abuse',
            'Serious Violence Duty',
            'Police, Crime, Sentencing and Courts Act 2022',
        ]),
        # Child sexual and criminal exploitation, county lines, cuckooing
        ('exploitation', None, [
            'child sexual exploitation',
            'child criminal exploitation',
            'County lines',
            'cuckooing',
            'Do not treat the child as an offender',
            r'\b101\b',
            r'\b999\b',
        ]),
        # Modern slavery and the NRM
        ('exploitation', None, [
            'Modern Slavery Act 2015',
            'National Referral Mechanism',
            'first responder',
            'does not need to agree',
            'informed consent',
            'section 52',
            'MS1',
            'Modern Slavery &amp; Exploitation Helpline|Modern Slavery & Exploitation Helpline',
        ]),
        # Children who go missing
        ('exploitation', None, [
            'A child who goes missing',
            'return home interview',
            '72 hours',
            'report them missing to the police',
        ]),
        # scenario: exploitation and the NRM
        ('scenarios', None, [
            'National Referral Mechanism',
            'does not need to agree',
        ]),
    ],
    '12. Young people: 16 and 17, transition': [
        # children's wishes and feelings
        ('young-people', None, [
            'own words',
            '[Nn]ever promise',
            'what is likely to happen next',
        ]),
        # Gillick competence
        ('young-people', None, [
            'Gillick',
        ]),
        # young people aged 16 and 17
        ('young-people', None, [
            'Mental Capacity Act 2005 applies from 16',
            'Domestic Abuse Act 2021 applies from 16',
            '18th birthday',
            r'16- or 17-year-old is, or may be, at risk of harm, you still share',
        ]),
        # transition to adult services
        ('young-people', None, [
            '[Tt]ransitional safeguarding',
            'sections 58 to 66 of the Care Act 2014',
            'personal adviser',
            'up to age 25',
            'share against their wishes',
        ]),
        # private fostering
        ('young-people', None, [
            'privately fostered',
            '28 days or more',
            'under 16',
            'under 18 if the child is disabled',
        ]),
        # interpreters and communication needs
        ('young-people', None, [
            'trained interpreter',
            'Never use a family member',
            'British Sign Language',
        ]),
        # disabled children
        ('young-people', None, [
            'Disabled children are at greater risk',
        ]),
        # scenario: 17-year-old in a controlling relationship
        ('scenarios', None, [
            '17-year-old',
            'from age 16',
            "children's safeguarding applies too",
            'MARAC',
        ]),
    ],
    '13. Other UK nations and moving areas': [
        # moving areas: telling the new area
        ('moving-areas', None, [
            'new area',
            '[Pp]hone first',
            'in writing',
            '[Dd]o not close the case',
        ]),
        # moving areas: school child protection file transfer
        ('moving-areas', None, [
            'Keeping Children Safe in Education',
            'child protection file',
            'five days',
            'main pupil file',
        ]),
        # moving areas: family disappears / missing from education
        ('moving-areas', None, [
            'missing from education',
            'nobody knows where',
        ]),
        # moving areas: adults who move (Care Act s.37)
        ('moving-areas', None, [
            'section 37 of the Care Act 2014',
            '[Tt]heir wishes count',
        ]),
        # other UK nations: Wales
        ('moving-areas', None, [
            r'Social Services and Well-being \(Wales\) Act 2014',
            'Wales Safeguarding Procedures',
            'WASPI|Wales Accord on the Sharing of Personal Information',
        ]),
        # other UK nations: Scotland
        ('moving-areas', None, [
            'GIRFEC|Getting it right for every child',
            'National Guidance for Child Protection in Scotland 2021',
            'Disclosure Scheme for Domestic Abuse Scotland',
        ]),
        # other UK nations: Northern Ireland
        ('moving-areas', None, [
            'Co-operating to Safeguard Children and Young People in Northern Ireland',
            'Domestic Violence and Abuse Disclosure Scheme',
        ]),
        # other UK nations: data protection law is UK-wide
        ('moving-areas', None, [
            'UK-wide',
            'area where the child lives',
        ]),
    ],
    '14. Online harm': [
        # Online harm: nudes, grooming, sextortion
        ('exploitation', None, [
            'do not</strong> look at the image|do not look at the image',
            'Sharing nudes and semi-nudes',
            'Online grooming',
            'Sextortion',
            'should not pay',
            'Report Remove',
            'Child Exploitation and Online Protection',
        ]),
        # scenario: online grooming and images
        ('scenarios', None, [
            'CEOP',
            'Do not ask to see any photos',
            'keep the messages',
        ]),
    ],
    '15. Retention, complaints, whistleblowing and escalation': [
        # retention of records
        ('recording', None, [
            'Records Management Code of Practice',
            r'Information and Records Management Society|\bIRMS\b',
            'Keeping Children Safe in Education',
            'normal pension age',
            '10 years',
            'inquiry',
            'destroy it securely|destroy[^.]*securely',
        ]),
        # escalation with time frames
        ('escalation', None, [
            'professional challenge',
            'working days',
            r'\b999\b',
            '[Rr]ecord the disagreement',
        ]),
        # complaints (DUAA complaints duty)
        ('escalation', None, [
            '19 June 2026',
            'within 30 days',
            'without undue delay',
            r'Information Commission\b',
            'Local Government and Social Care Ombudsman',
            'Parliamentary and Health Service Ombudsman',
        ]),
        # whistleblowing
        ('escalation', None, [
            'Public Interest Disclosure Act 1998',
            'prescribed person',
            'NSPCC Whistleblowing Advice Line',
            'Care Quality Commission',
            'position of trust',
            'head teacher',
        ]),
    ],
}

# review finding -> the same shape: findings fixed by saying something a page did not say before
FINDINGS: dict[str, list[tuple[str, str | None, list[str]]]] = {
    'L8': [
        # consent: parental responsibility (L8)
        ('consent', None, [
            'adopted',
            'parental order',
            'second female parent',
            'Human Fertilisation and Embryology Act 2008',
            '1 December 2003',
        ]),
    ],
    'L1': [
        # Sarah's Law: s.327A and wider disclosure
        ('disclosure-schemes', None, [
            'section 327A of the Criminal Justice Act 2003',
            'other convictions',
        ]),
    ],
    'L2': [
        # disclosure schemes: legal basis
        ('disclosure-schemes', None, [
            'common law power',
        ]),
    ],
    'L3': [
        # right to ask: anyone incl. professionals, not a referral
        ('disclosure-schemes', None, [
            'including a professional',
            'application is not a referral',
        ]),
    ],
    'review 1.3 (no self-harm route)': [
        # Self-harm and suicide risk (urgent)
        ('urgent', None, [
            '(?i)thoughts of suicide',
            r'\b999\b',
            'Childline',
        ]),
    ],
    'M9': [
        # M9 Northbridge late-night fare goes to the police
        ('should-i-tell-someone', 'northbridge', [
            'If she is with the man now, or seems drugged, call',
            'call the police on',
            'the hotel, and any car registrations',
        ]),
    ],
    'L18': [
        # L18 Northbridge new phones: tell the front door too
        ('should-i-tell-someone', 'northbridge', [
            'the school uniform is a clue',
            'Do not assume the police will pass it on',
        ]),
    ],
    'coverage 8': [
        # Northbridge group chat links Prevent
        ('should-i-tell-someone', 'northbridge', [
            'See .{0,80}Prevent and radicalisation',
        ]),
    ],
    'issue point 4': [
        # Northbridge adult cards respect capacity
        ('should-i-tell-someone', 'northbridge', [
            'ask what he wants',
            'her wishes count',
            'even if the customer does not agree',
        ]),
    ],
    'L9': [
        # s.42 wording (is experiencing, or is at risk of)
        ('law', None, [
            'is experiencing, or is at risk of, abuse or neglect',
        ]),
    ],
}



def _missing(demo_site: Path, places: list[tuple[str, str | None, list[str]]]) -> list[str]:
    missing = []
    for stem, partnership, patterns in places:
        text = unescape(text_of(demo_site, stem, partnership) if partnership else text_of(demo_site, stem)).replace("\u2019", "'")
        missing += [f"{stem}: {p}" for p in patterns if not re.search(p, text, re.I)]
    return missing


@pytest.mark.parametrize("topic", list(TOPICS))
def test_each_topic_the_review_found_missing_is_covered_on_its_page(demo_site: Path, topic: str) -> None:
    missing = _missing(demo_site, TOPICS[topic])
    assert not missing, f"{topic}: not found on the page a reader would look at:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("finding", list(FINDINGS))
def test_each_review_finding_is_corrected_on_its_page(demo_site: Path, finding: str) -> None:
    missing = _missing(demo_site, FINDINGS[finding])
    assert not missing, f"{finding}: the correction is not on the page:\n  " + "\n  ".join(missing)
